/* SPDX-License-Identifier: MIT */
/* port/lwip-config/raw-backend/lwipopts.h - lwIP for emsock's raw-API socket backend (EMSOCK_PORT=lwip-raw):
 * NO_SYS=1 (no RTOS, one thread, a main loop), static heap and pools, IPv4 + IPv6, TCP + UDP, the loopback
 * netif (127.0.0.1, ::1). Sized for the port conformance suite: hosted (ctest port-lwip-raw) and on the
 * Cortex-M3 board (firmware-conformance-raw). What the backend needs beside NO_SYS=1: LWIP_TCP, LWIP_UDP,
 * LWIP_CALLBACK_API, TCP_WND no larger than EMSOCK_LWIP_RAW_RX_BUFFER; TCP_LISTEN_BACKLOG so that
 * handshakes beyond a listener's accept queue wait rather than being reset; SO_REUSE for reuse_address. */
#ifndef EMSOCK_LWIP_RAW_BACKEND_LWIPOPTS_H
#define EMSOCK_LWIP_RAW_BACKEND_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0 /* lwIP runs only in the main loop (the backend's drive hook), never in interrupts */
#define LWIP_TIMERS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0

#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_IPV6_MLD 0
#define LWIP_IPV6_AUTOCONFIG 0
#define LWIP_IPV6_DHCP6 0
#define IPV6_FRAG_COPYHEADER 1 /* 64-bit hosts: lwIP's reassembly helper does not fit the IPv6 header */
#define LWIP_TCP 1
#define LWIP_UDP 1
#define LWIP_RAW 0
#define LWIP_ICMP 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_MULTICAST_TX_OPTIONS 1 /* IPv4 multicast sending interface and TTL (no groups) */
#define LWIP_DNS 1 /* names through dns_gethostbyname (the tests' responder on 127.0.0.1:53) */
#define LWIP_ARP 0
#define LWIP_ETHERNET 0
#define SO_REUSE 1
#define TCP_LISTEN_BACKLOG 1
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_CALLBACK_API 1

#define LWIP_HAVE_LOOPIF 1
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_LOOPBACK_MAX_PBUFS 0

#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#if defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ == 8
#define MEM_ALIGNMENT 8 /* 64-bit hosts: pbufs hold pointers (UBSan checks the alignment) */
#else
#define MEM_ALIGNMENT 4
#endif
#ifndef MEM_SIZE
#define MEM_SIZE (96 * 1024) /* loopback copies of segments in flight, and what tcp_write copies */
#endif
#define MEMP_NUM_PBUF 16
#define MEMP_NUM_UDP_PCB 20
#define MEMP_NUM_TCP_PCB 40
#define MEMP_NUM_TCP_PCB_LISTEN 20
#define MEMP_NUM_TCP_SEG 160
#define PBUF_POOL_SIZE 16

#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)
#define TCP_SND_QUEUELEN 40
#define TCP_QUEUE_OOSEQ 0

#define LWIP_STATS 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0

#endif /* EMSOCK_LWIP_RAW_BACKEND_LWIPOPTS_H */
