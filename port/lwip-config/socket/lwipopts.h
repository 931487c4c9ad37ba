/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket/lwipopts.h - emsock's example lwIP configuration for a microcontroller with an
 * RTOS, built and tested on the host (the "firmware configuration").
 *
 * What differs from Debian's desktop build (liblwip-dev): all memory comes from lwIP's own static
 * heap and pools (no malloc), DNS is on (resolve() goes through lwip_getaddrinfo), the listen
 * backlog is enforced, the socket table is fixed (MEMP_NUM_NETCONN), and LWIP_COMPAT_SOCKETS is on
 * (emsock must not care). Every figure below is a capacity: exhausting it gives the caller a clear
 * error (ENOBUFS/ENOMEM -> errc::out_of_memory, ENFILE -> errc::too_many_open_files).
 * Sized for the conformance suite (about 50 connections at once); a small device would divide
 * MEM_SIZE, the pools and the windows by 4 or more.
 */
#ifndef EMSOCK_LWIPOPTS_H
#define EMSOCK_LWIPOPTS_H

/* An RTOS is present (here: pthreads, port/lwip-config/socket/sys_arch.c); the socket API needs it. */
#define NO_SYS                          0
#ifndef LWIP_TCPIP_CORE_LOCKING             /* the build may choose: emsock is tested with 1 and 0 */
#define LWIP_TCPIP_CORE_LOCKING         1
#endif
#define LWIP_SOCKET                     1
#define LWIP_NETCONN                    1
#ifndef LWIP_COMPAT_SOCKETS                 /* the build may choose: emsock is compiled with 0, 1, 2 */
#define LWIP_COMPAT_SOCKETS             1   /* POSIX names as macros: emsock calls lwip_* anyway */
#endif
#define LWIP_POSIX_SOCKETS_IO_NAMES     1
#define LWIP_SOCKET_SELECT              0   /* emsock waits with lwip_poll */
#define LWIP_SOCKET_POLL                1
#define LWIP_SO_SNDTIMEO                1
#define LWIP_SO_RCVTIMEO                1
#define SO_REUSE                        1
#ifndef LWIP_TCP_KEEPALIVE                  /* the build may choose: emsock is tested with 1 and 0 */
#define LWIP_TCP_KEEPALIVE              1   /* keepalive timers per socket (tcp_stream::set_keepalive) */
#endif

/* Protocols. No Ethernet here: one loopback netif (LWIP_NETIF_LOOPBACK, without lwIP's own loopif). */
#define LWIP_IPV4                       1
#define LWIP_IPV6                       1
#define LWIP_TCP                        1
#define LWIP_UDP                        1
#define LWIP_DNS                        1
#define LWIP_ARP                        0
#define LWIP_ETHERNET                   0
#define LWIP_IGMP                       1   /* IPv4 groups: udp_socket::join_group (mDNS, SSDP) */
#define LWIP_IPV6_MLD                   1   /* IPv6 groups */
#define LWIP_MULTICAST_TX_OPTIONS       1   /* IP_MULTICAST_IF / _TTL: set_multicast_interface, _hops */
#define LWIP_IPV6_AUTOCONFIG            0
#define LWIP_IPV6_SEND_ROUTER_SOLICIT   0
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS   0
#define IPV6_FRAG_COPYHEADER            1   /* needed on 64-bit hosts (pointers in the header) */
#define LWIP_NETIF_LOOPBACK             1
#define LWIP_HAVE_LOOPIF                0
#define LWIP_NETIF_HOSTNAME             1   /* host_name() reads the default netif's hostname */
#define DNS_MAX_SERVERS                 1
#define DNS_TABLE_SIZE                  4

/* Memory: lwIP's own heap (MEM_SIZE bytes, static) and fixed pools - no malloc anywhere. */
#define MEM_LIBC_MALLOC                 0
#define MEMP_MEM_MALLOC                 0
#define MEM_USE_POOLS                   0
#define MEM_ALIGNMENT                   8
#define MEM_SIZE                        (192 * 1024)  /* PBUF_RAM: sent data, loopback copies */
#define MEMP_NUM_NETCONN                64  /* the socket table */
#define MEMP_NUM_TCP_PCB                64  /* TCP connections, both ends of a loopback pair count */
#define MEMP_NUM_TCP_PCB_LISTEN         8
#define MEMP_NUM_TCP_SEG                256
#define MEMP_NUM_UDP_PCB                8
#define MEMP_NUM_PBUF                   64
#define MEMP_NUM_NETBUF                 16
#define MEMP_NUM_TCPIP_MSG_API          32
#define MEMP_NUM_TCPIP_MSG_INPKT        128
#define PBUF_POOL_SIZE                  32

/* TCP: the listen backlog is enforced; windows of 8 segments each way. */
#define TCP_LISTEN_BACKLOG              1
#define TCP_MSS                         1460
#define TCP_WND                         (8 * TCP_MSS)
#define TCP_SND_BUF                     (8 * TCP_MSS)
#define TCP_SND_QUEUELEN                ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
/* Out-of-order segments are queued (lwIP's default), but bounded per connection: without a bound a
 * peer that sends everything but the next expected segment pins pool buffers until the pool is gone. */
#define TCP_QUEUE_OOSEQ                 1
#define TCP_OOSEQ_MAX_PBUFS             4
#define TCP_OOSEQ_MAX_BYTES             (2 * TCP_MSS)
#define LWIP_CHECKSUM_ON_COPY           1

/* Mailboxes of the pthread sys_arch (a mailbox holds at most SYS_MBOX_CAPACITY, sys_arch.h;
 * sys_arch.c keeps its semaphores, mutexes and mailboxes in fixed pools sized from MEMP_NUM_NETCONN). */
#define TCPIP_MBOX_SIZE                 128
#define DEFAULT_TCP_RECVMBOX_SIZE       64
#define DEFAULT_UDP_RECVMBOX_SIZE       16
#define DEFAULT_ACCEPTMBOX_SIZE         64  /* >= the backlogs used: a full one resets */
#define TCPIP_THREAD_STACKSIZE          0
#define TCPIP_THREAD_PRIO               0
#define DEFAULT_THREAD_STACKSIZE        0

/* Debian's source package (its Hurd patches) takes these from the platform's socket header; with
 * lwIP's own sockaddr types (which carry a length byte) they are: */
#define IP4ADDR_SOCKADDR_SET_LEN(sin)   (sin)->sin_len = (u8_t)sizeof(struct sockaddr_in)
#define IP6ADDR_SOCKADDR_SET_LEN(sin6)  (sin6)->sin6_len = (u8_t)sizeof(struct sockaddr_in6)
#define IPADDR_SOCKADDR_GET_LEN(addr)   (addr)->sa.sa_len

#define LWIP_STATS                      0
#define LWIP_NOASSERT_ON_ERROR          1

#if !LWIP_TCPIP_CORE_LOCKING
/* Without the core lock only the tcpip thread may enter lwIP's core: sys_arch.c checks it (and
 * aborts) wherever lwIP asserts the core is locked (raw API, netif, timeouts). */
void emsock_sys_mark_tcpip_thread(void);
void emsock_sys_assert_tcpip_thread(void);
#define LWIP_MARK_TCPIP_THREAD()        emsock_sys_mark_tcpip_thread()
#define LWIP_ASSERT_CORE_LOCKED()       emsock_sys_assert_tcpip_thread()
#endif

#endif /* EMSOCK_LWIPOPTS_H */
