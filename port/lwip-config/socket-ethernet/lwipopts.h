/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket-ethernet/lwipopts.h - lwIP's socket API on a board with an RTOS and an Ethernet
 * NIC, as an example for a firmware: NO_SYS=0 (a tcpip thread; the board's CMSIS-RTOS2 kernel through
 * lwIP's sys_arch), static heap and pools (no malloc), IPv4 with ARP, DHCP (announcing the netif's host
 * name) and AutoIP as its fallback, IPv6 with link-local address, SLAAC and MLD, DNS, TCP and UDP, and
 * the loopback path (127.0.0.1 and ::1 through the default netif). Used by examples/emsock-socket-firmware
 * (port/common's TCP and UDP echo engines: 4 sessions, one UDP socket) and examples/emsock-seed-firmware
 * (the seed's program, its threads and a DNS responder on loopback). Every figure is a capacity:
 * exhausting it gives the caller a clear error (ENOBUFS/ENOMEM -> errc::out_of_memory, ENFILE ->
 * errc::too_many_open_files). Windows sized for the LAN9118 as in raw-ethernet/ (see there). */
#ifndef EMSOCK_LWIP_SOCKET_ETHERNET_LWIPOPTS_H
#define EMSOCK_LWIP_SOCKET_ETHERNET_LWIPOPTS_H

#define NO_SYS 0
#define LWIP_TCPIP_CORE_LOCKING 1 /* the LAN9118's driver thread reads the chip under the core lock */
#define SYS_LIGHTWEIGHT_PROT 1
#define LWIP_TIMERS 1
#define LWIP_SOCKET 1
#define LWIP_NETCONN 1
#define LWIP_NETIF_API 0
#define LWIP_COMPAT_SOCKETS 0 /* emsock calls lwip_* */
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_SELECT 0 /* emsock waits with lwip_poll */
#define LWIP_SOCKET_POLL 1
#define LWIP_SO_SNDTIMEO 1
#define LWIP_SO_RCVTIMEO 1
#define SO_REUSE 1
/* One socket used by a sender thread and a receiver thread at once (the threading contract of
 * emsock/port/socket.hpp): the seed firmware's threads test builds with 1. */
#ifndef LWIP_NETCONN_FULLDUPLEX
#define LWIP_NETCONN_FULLDUPLEX 0
#endif
#if LWIP_NETCONN_FULLDUPLEX
#define LWIP_NETCONN_SEM_PER_THREAD 1
#endif

#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_TCP 1
#define LWIP_UDP 1
#define LWIP_RAW 0
#define LWIP_ICMP 1
#define LWIP_IGMP 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define ETH_PAD_SIZE 0
#define ARP_TABLE_SIZE 4
#define ARP_QUEUEING 1
#define MEMP_NUM_ARP_QUEUE 4
#define IP_REASSEMBLY 0
#define IP_FRAG 0

/* Addresses the way a product gets them: DHCP (with the host name), AutoIP when no server answers. */
#define LWIP_DHCP 1
#define LWIP_AUTOIP 1
#define LWIP_DHCP_AUTOIP_COOP 1
#define LWIP_DHCP_AUTOIP_COOP_TRIES 3
#define DHCP_DOES_ARP_CHECK 1
#define LWIP_NETIF_HOSTNAME 1 /* DHCP option 12; emsock's host_name() reads it */

/* Names: DNS servers from DHCP (or set by the firmware), lwip_getaddrinfo behind emsock's resolve(). */
#define LWIP_DNS 1
#define DNS_MAX_SERVERS 2
#define DNS_TABLE_SIZE 2
#define DNS_MAX_NAME_LENGTH 128

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

/* Loopback: 127.0.0.1 and ::1 reach this board through the default netif. LWIP_HAVE_LOOPIF=1 (the
 * seed firmware's build) adds lwIP's own loopback netif "lo0" with 127.0.0.1, so that a UDP socket bound
 * to 127.0.0.1 can answer over it (through the default netif lwIP refuses to send from an address the
 * netif does not have: a DNS responder on 127.0.0.1 needs it); the Ethernet netif is then en1, not en0. */
#ifndef LWIP_HAVE_LOOPIF
#define LWIP_HAVE_LOOPIF 0
#endif
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_LOOPBACK_MAX_PBUFS 8
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0

/* Memory: lwIP's own static heap and pools - no malloc anywhere. */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 4
#define MEM_SIZE (12 * 1024)  /* TCP send buffers (copies), loopback copies, DNS lookups */
#define MEMP_NUM_NETCONN 10   /* sockets: the echo firmware needs 7 (listener, 4 sessions, one to refuse, UDP) */
#define MEMP_NUM_TCP_PCB 8
#define MEMP_NUM_TCP_PCB_LISTEN 2
#define MEMP_NUM_TCP_SEG 24
#define MEMP_NUM_UDP_PCB 4    /* DHCP, DNS, the UDP echo socket, a DNS responder on loopback */
#define MEMP_NUM_PBUF 8
#define MEMP_NUM_NETBUF 4
#define MEMP_NUM_TCPIP_MSG_API 8
/* Received frames on their way to the tcpip thread: the LAN9118's driver thread, above it, empties the
 * chip's RX FIFO (up to about 10 full frames) into its mailbox at once. With 12 messages, a 16-entry
 * mailbox and 10 pool pbufs, 4 bulk connections lost 5 frames a run there (400-700 ms retransmission
 * gaps on the tap link); with these, none. With sockets a connection's unread data also stays in its
 * pbufs until the application reads it (up to TCP_WND each), unlike the raw API's copy at once. */
#define MEMP_NUM_TCPIP_MSG_INPKT 24
#define MEMP_NUM_SELECT_CB 4  /* lwip_poll calls waiting at once */
#define PBUF_POOL_SIZE 16 /* see MEMP_NUM_TCPIP_MSG_INPKT */

/* Windows sized for the LAN9118's RX FIFO, as in raw-ethernet/. */
#define TCP_LISTEN_BACKLOG 1
#define TCP_MSS 1024
#define TCP_SND_BUF (2 * TCP_MSS)
#define TCP_SND_QUEUELEN 8
#define TCP_WND (2 * TCP_MSS)
#define TCP_QUEUE_OOSEQ 0
#define LWIP_TCP_KEEPALIVE 0

/* Mailboxes and threads (sys_arch over CMSIS-RTOS2: sizes in messages, stacks in bytes). */
#define TCPIP_MBOX_SIZE 32 /* >= MEMP_NUM_TCPIP_MSG_INPKT + the API messages */
#define DEFAULT_TCP_RECVMBOX_SIZE 8
#define DEFAULT_UDP_RECVMBOX_SIZE 4
#define DEFAULT_ACCEPTMBOX_SIZE 4
#define TCPIP_THREAD_STACKSIZE 2048
#define TCPIP_THREAD_PRIO 40 /* osPriorityHigh: above the application's threads */
#define DEFAULT_THREAD_STACKSIZE 1024
#define DEFAULT_THREAD_PRIO 24

/* Debian's source package (its Hurd patches) takes these from the platform's socket header; with lwIP's
 * own sockaddr types (which carry a length byte) they are: */
#define IP4ADDR_SOCKADDR_SET_LEN(sin) (sin)->sin_len = (u8_t)sizeof(struct sockaddr_in)
#define IP6ADDR_SOCKADDR_SET_LEN(sin6) (sin6)->sin6_len = (u8_t)sizeof(struct sockaddr_in6)
#define IPADDR_SOCKADDR_GET_LEN(addr) (addr)->sa.sa_len

#define LWIP_STATS 0
/* lwIP's internal assertions (LWIP_ASSERT: a check and its text each) take 17.4 KB of the socket
 * firmware's flash on Cortex-M3 (103,372 B with them, 85,984 B without): off, as in a product's release
 * build. EMSOCK_LWIP_ASSERTS=1 keeps them (the seed firmware, a test image, is built so). The argument
 * checks that return an error (LWIP_ERROR) stay either way, without asserting. */
#if !defined(EMSOCK_LWIP_ASSERTS) || !EMSOCK_LWIP_ASSERTS
#define LWIP_NOASSERT 1
#endif
#define LWIP_NOASSERT_ON_ERROR 1

#endif /* EMSOCK_LWIP_SOCKET_ETHERNET_LWIPOPTS_H */
