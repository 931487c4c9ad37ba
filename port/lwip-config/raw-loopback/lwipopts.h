/* SPDX-License-Identifier: MIT */
/* port/lwip-config/raw-loopback/lwipopts.h - lwIP for bare metal, raw API only: NO_SYS=1 (no RTOS, no threads),
 * static heap and pools, IPv4 + TCP + UDP, the loopback netif (127.0.0.1): the smallest raw configuration,
 * a start for a firmware's own. emsock's images use raw-backend/ and raw-ethernet/ (README.md). */
#ifndef EMSOCK_LWIP_RAW_LWIPOPTS_H
#define EMSOCK_LWIP_RAW_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0 /* lwIP is only called from the main loop, never from interrupts */
#define LWIP_TIMERS 1          /* sys_check_timeouts() from the main loop, sys_now() from SysTick */
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0

#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_TCP 1
#define LWIP_UDP 1
#define LWIP_RAW 0
#define LWIP_ICMP 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define LWIP_ARP 0
#define LWIP_ETHERNET 0

/* The loopback netif: 127.0.0.1, packets queued by output and delivered by netif_poll(). */
#define LWIP_HAVE_LOOPIF 1
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_LOOPBACK_MAX_PBUFS 0

/* Memory: a static heap (no malloc) and static pools. */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 4
#define MEM_SIZE (48 * 1024)
#define MEMP_NUM_PBUF 32
#define MEMP_NUM_UDP_PCB 4 /* a server, a client, a probe and one spare */
#define MEMP_NUM_TCP_PCB 24
#define MEMP_NUM_TCP_PCB_LISTEN 2
#define MEMP_NUM_TCP_SEG 128
#define PBUF_POOL_SIZE 24

#define TCP_MSS 536
#define TCP_SND_BUF (4 * TCP_MSS)
#define TCP_SND_QUEUELEN 16
#define TCP_WND (4 * TCP_MSS)
#define TCP_QUEUE_OOSEQ 0 /* out-of-order segments are dropped, never queued: nothing for them to pin */
#define LWIP_TCP_KEEPALIVE 0
#define LWIP_CALLBACK_API 1

#define LWIP_STATS 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0

#endif /* EMSOCK_LWIP_RAW_LWIPOPTS_H */
