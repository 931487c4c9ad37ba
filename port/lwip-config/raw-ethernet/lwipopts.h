/* SPDX-License-Identifier: MIT */
/* port/lwip-config/raw-ethernet/lwipopts.h - lwIP for a bare-metal board on Ethernet, raw API only, as an
 * example for a firmware: NO_SYS=1 (no RTOS), static heap and pools (no malloc), IPv4 with ARP, DHCP
 * and AutoIP as DHCP's fallback (169.254/16), IPv6 with link-local address and stateless
 * autoconfiguration (SLAAC), MLD and neighbour discovery, TCP and UDP (for DHCP). Used by
 * examples/emsock-echo-firmware and the LAN9118 driver's tests. Sized for a TCP echo server with 4
 * connections of TCP_WND bytes in flight each: see the RAM figure in the README. */
#ifndef EMSOCK_LWIP_RAW_NET_LWIPOPTS_H
#define EMSOCK_LWIP_RAW_NET_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0 /* lwIP is only called from the main loop, never from interrupts */
#define LWIP_TIMERS 1          /* sys_check_timeouts() from the main loop, sys_now() from the board */
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0

#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_TCP 1
#define LWIP_UDP 1
#define LWIP_RAW 0
#define LWIP_ICMP 1
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define ETH_PAD_SIZE 0
#define ARP_TABLE_SIZE 4
#define ARP_QUEUEING 1
#define MEMP_NUM_ARP_QUEUE 4
#define IP_REASSEMBLY 0
#define IP_FRAG 0

/* Addresses the way a product gets them: DHCP, and AutoIP when no DHCP server answers. */
#define LWIP_DHCP 1
#define LWIP_AUTOIP 1
#define LWIP_DHCP_AUTOIP_COOP 1
#define LWIP_DHCP_AUTOIP_COOP_TRIES 3
#define DHCP_DOES_ARP_CHECK 1

/* IPv6: link-local address, SLAAC from router advertisements, MLD for the solicited-node groups. */
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_MLD 1
#define LWIP_ICMP6 1
#define LWIP_IPV6_NUM_ADDRESSES 3
#define LWIP_IPV6_FRAG 0
#define LWIP_IPV6_REASS 0
#define LWIP_IPV6_DHCP6 0
#define LWIP_ND6_NUM_NEIGHBORS 4
#define LWIP_ND6_NUM_DESTINATIONS 4
#define LWIP_ND6_NUM_PREFIXES 2
#define LWIP_ND6_NUM_ROUTERS 2
#define LWIP_ND6_QUEUEING 1
#define MEMP_NUM_ND6_QUEUE 4
#define MEMP_NUM_MLD6_GROUP 4

#define LWIP_HAVE_LOOPIF 0
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_NETIF_STATUS_CALLBACK 1 /* the firmware prints its addresses as they come */
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_NETIF_HOSTNAME 0

/* Memory: a static heap (no malloc) for the TCP send buffers (tcp_write copies) and static pools. */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 4
#define MEM_SIZE (14 * 1024)
#define MEMP_NUM_PBUF 8
#define MEMP_NUM_UDP_PCB 2
#define MEMP_NUM_TCP_PCB 6 /* the server's slots plus room to refuse a connection beyond them */
#define MEMP_NUM_TCP_PCB_LISTEN 1
#define MEMP_NUM_TCP_SEG 24
#ifndef PBUF_POOL_SIZE
#define PBUF_POOL_SIZE 10 /* frames from the NIC held at once (the echo images: 6, port/lwip-raw/CMakeLists.txt) */
#endif

/* Windows sized for the NIC: what every connection may have in flight towards the board must fit the
 * LAN9118's RX FIFO (10,560 bytes on QEMU's model), which holds frames while the main loop is busy and
 * drops, uncounted, one that does not fit. 4 connections x 2 segments of 1024 bytes (+ 58 bytes of
 * headers, FCS and status each) take 8,656 bytes, with room left for ACKs, ARP and neighbour discovery.
 * With 1460-byte segments 4 windows (11,680 bytes) overflow it and a lost frame costs a retransmission
 * timeout: scripts/bench-tap shows the gaps. */
#define TCP_MSS 1024
#define TCP_SND_BUF (2 * TCP_MSS)
#define TCP_SND_QUEUELEN 8
#define TCP_WND (2 * TCP_MSS)
#define TCP_QUEUE_OOSEQ 0 /* out-of-order segments are dropped, never queued: nothing for them to pin */
#define LWIP_TCP_KEEPALIVE 0
#define LWIP_CALLBACK_API 1

#define LWIP_STATS 0
/* lwIP's internal assertions (LWIP_ASSERT: a check and its text each): on by default (the checked echo image
 * and the driver's tests keep them); EMSOCK_LWIP_NOASSERT=1 turns them off, as in a product's release build
 * (the echo images: 12.5 KB less flash). LWIP_ERROR's argument checks stay either way. */
#if defined(EMSOCK_LWIP_NOASSERT) && EMSOCK_LWIP_NOASSERT
#define LWIP_NOASSERT 1
#endif

#endif /* EMSOCK_LWIP_RAW_NET_LWIPOPTS_H */
