/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket/sys_arch.c - lwIP's OS layer over POSIX threads, for the host build of emsock's
 * example lwIP configuration. Written for emsock; a firmware build replaces it with its RTOS's.
 *
 * Semaphores and mailboxes are a mutex and condition variables on CLOCK_MONOTONIC (so timeouts do
 * not jump with the wall clock); a mailbox is a fixed ring of SYS_MBOX_CAPACITY pointers. Like an
 * RTOS with static allocation, every object comes from a fixed pool (no malloc after start-up:
 * lwIP creates a semaphore and mailboxes per socket); an empty pool is ERR_MEM, which lwIP reports
 * as ENOBUFS/ENOMEM. Only sys_thread_new allocates (a few bytes, once per lwIP thread). */
#define _GNU_SOURCE 1 /* PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lwip/err.h"
#include "lwip/opt.h"
#include "lwip/sys.h"

struct sys_sem {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  unsigned count;
};

struct sys_mutex {
  pthread_mutex_t lock;
};

struct sys_mbox {
  pthread_mutex_t lock;
  pthread_cond_t not_empty;
  pthread_cond_t not_full;
  void* ring[SYS_MBOX_CAPACITY];
  unsigned head;
  unsigned count;
  unsigned capacity;
};

/* Fixed pools of OS objects, each slot taken/freed under pool_lock. */
#define SEM_POOL_SIZE (2 * MEMP_NUM_NETCONN + 16)
#define MUTEX_POOL_SIZE 16
#define MBOX_POOL_SIZE (2 * MEMP_NUM_NETCONN + 8)
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sys_sem sem_pool[SEM_POOL_SIZE];
static unsigned char sem_used[SEM_POOL_SIZE];
static struct sys_mutex mutex_pool[MUTEX_POOL_SIZE];
static unsigned char mutex_used[MUTEX_POOL_SIZE];
static struct sys_mbox mbox_pool[MBOX_POOL_SIZE];
static unsigned char mbox_used[MBOX_POOL_SIZE];

/* The index of a free slot of `used` (marked used), or -1. */
static int take_slot(unsigned char* used, int size) {
  int found = -1;
  pthread_mutex_lock(&pool_lock);
  for (int i = 0; i < size && found < 0; ++i) {
    if (!used[i]) {
      used[i] = 1;
      found = i;
    }
  }
  pthread_mutex_unlock(&pool_lock);
  return found;
}

static void give_slot(unsigned char* used, int index) {
  pthread_mutex_lock(&pool_lock);
  used[index] = 0;
  pthread_mutex_unlock(&pool_lock);
}

static pthread_mutex_t protect_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void init_cond(pthread_cond_t* c) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(c, &attr);
  pthread_condattr_destroy(&attr);
}

/* Waits on `c` until `ready(arg)`; timeout_ms 0 waits for ever. Returns the milliseconds waited,
 * or SYS_ARCH_TIMEOUT. Precondition: `m` is locked. */
static u32_t wait_until(pthread_cond_t* c, pthread_mutex_t* m, int (*ready)(void*), void* arg, u32_t timeout_ms) {
  const uint64_t start = now_ms();
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += (time_t)(timeout_ms / 1000u);
  deadline.tv_nsec += (long)(timeout_ms % 1000u) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000L;
  }
  while (!ready(arg)) {
    if (timeout_ms == 0) {
      pthread_cond_wait(c, m);
    } else if (pthread_cond_timedwait(c, m, &deadline) == ETIMEDOUT && !ready(arg)) {
      return SYS_ARCH_TIMEOUT;
    }
  }
  const uint64_t waited = now_ms() - start;
  return waited >= SYS_ARCH_TIMEOUT ? SYS_ARCH_TIMEOUT - 1 : (u32_t)waited;
}

void sys_init(void) {}

#if !LWIP_TCPIP_CORE_LOCKING
static pthread_t tcpip_thread;
static int tcpip_thread_marked = 0; /* set once, by the tcpip thread itself */

void emsock_sys_mark_tcpip_thread(void) {
  tcpip_thread = pthread_self();
  __atomic_store_n(&tcpip_thread_marked, 1, __ATOMIC_RELEASE);
}

void emsock_sys_assert_tcpip_thread(void) {
  /* Before the thread runs, tcpip_init() itself sets lwIP up on the caller's thread. */
  if (!__atomic_load_n(&tcpip_thread_marked, __ATOMIC_ACQUIRE)) return;
  if (pthread_equal(pthread_self(), tcpip_thread)) return;
  fprintf(stderr, "lwIP's core entered outside the tcpip thread (LWIP_TCPIP_CORE_LOCKING=0)\n");
  abort();
}
#endif

u32_t sys_now(void) { return (u32_t)now_ms(); }

unsigned int emsock_lwip_rand(void) {
  /* xorshift32, seeded from the clock once; guarded by the protect lock. Not for cryptography. */
  static uint32_t state = 0;
  pthread_mutex_lock(&protect_lock);
  if (state == 0) state = (uint32_t)now_ms() * 2654435761u | 1u;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  const uint32_t out = state;
  pthread_mutex_unlock(&protect_lock);
  return out;
}

sys_prot_t sys_arch_protect(void) {
  pthread_mutex_lock(&protect_lock);
  return 0;
}

void sys_arch_unprotect(sys_prot_t level) {
  (void)level;
  pthread_mutex_unlock(&protect_lock);
}

/* --- semaphores --------------------------------------------------------------------------------- */

err_t sys_sem_new(sys_sem_t* sem, u8_t count) {
  const int slot = take_slot(sem_used, SEM_POOL_SIZE);
  if (slot < 0) return ERR_MEM;
  struct sys_sem* s = &sem_pool[slot];
  pthread_mutex_init(&s->lock, NULL);
  init_cond(&s->changed);
  s->count = count;
  *sem = s;
  return ERR_OK;
}

void sys_sem_signal(sys_sem_t* sem) {
  struct sys_sem* s = *sem;
  pthread_mutex_lock(&s->lock);
  s->count++;
  pthread_cond_signal(&s->changed);
  pthread_mutex_unlock(&s->lock);
}

static int sem_ready(void* arg) { return ((struct sys_sem*)arg)->count > 0; }

u32_t sys_arch_sem_wait(sys_sem_t* sem, u32_t timeout) {
  struct sys_sem* s = *sem;
  pthread_mutex_lock(&s->lock);
  const u32_t waited = wait_until(&s->changed, &s->lock, sem_ready, s, timeout);
  if (waited != SYS_ARCH_TIMEOUT) s->count--;
  pthread_mutex_unlock(&s->lock);
  return waited;
}

void sys_sem_free(sys_sem_t* sem) {
  struct sys_sem* s = *sem;
  if (s == NULL) return;
  pthread_cond_destroy(&s->changed);
  pthread_mutex_destroy(&s->lock);
  give_slot(sem_used, (int)(s - sem_pool));
  *sem = NULL;
}

/* --- mutexes ------------------------------------------------------------------------------------ */

err_t sys_mutex_new(sys_mutex_t* mutex) {
  const int slot = take_slot(mutex_used, MUTEX_POOL_SIZE);
  if (slot < 0) return ERR_MEM;
  struct sys_mutex* m = &mutex_pool[slot];
  pthread_mutex_init(&m->lock, NULL);
  *mutex = m;
  return ERR_OK;
}

void sys_mutex_lock(sys_mutex_t* mutex) { pthread_mutex_lock(&(*mutex)->lock); }

void sys_mutex_unlock(sys_mutex_t* mutex) { pthread_mutex_unlock(&(*mutex)->lock); }

void sys_mutex_free(sys_mutex_t* mutex) {
  struct sys_mutex* m = *mutex;
  if (m == NULL) return;
  pthread_mutex_destroy(&m->lock);
  give_slot(mutex_used, (int)(m - mutex_pool));
  *mutex = NULL;
}

/* --- mailboxes ---------------------------------------------------------------------------------- */

err_t sys_mbox_new(sys_mbox_t* mbox, int size) {
  const int slot = take_slot(mbox_used, MBOX_POOL_SIZE);
  if (slot < 0) return ERR_MEM;
  struct sys_mbox* b = &mbox_pool[slot];
  b->head = 0;
  b->count = 0;
  pthread_mutex_init(&b->lock, NULL);
  init_cond(&b->not_empty);
  init_cond(&b->not_full);
  b->capacity = size > 0 && size < SYS_MBOX_CAPACITY ? (unsigned)size : SYS_MBOX_CAPACITY;
  *mbox = b;
  return ERR_OK;
}

static void put(struct sys_mbox* b, void* msg) {
  b->ring[(b->head + b->count) % SYS_MBOX_CAPACITY] = msg;
  b->count++;
  pthread_cond_signal(&b->not_empty);
}

static int mbox_not_full(void* arg) {
  const struct sys_mbox* b = arg;
  return b->count < b->capacity;
}

static int mbox_not_empty(void* arg) { return ((const struct sys_mbox*)arg)->count > 0; }

void sys_mbox_post(sys_mbox_t* mbox, void* msg) {
  struct sys_mbox* b = *mbox;
  pthread_mutex_lock(&b->lock);
  (void)wait_until(&b->not_full, &b->lock, mbox_not_full, b, 0);
  put(b, msg);
  pthread_mutex_unlock(&b->lock);
}

err_t sys_mbox_trypost(sys_mbox_t* mbox, void* msg) {
  struct sys_mbox* b = *mbox;
  pthread_mutex_lock(&b->lock);
  const int room = b->count < b->capacity;
  if (room) put(b, msg);
  pthread_mutex_unlock(&b->lock);
  return room ? ERR_OK : ERR_MEM;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t* mbox, void* msg) { return sys_mbox_trypost(mbox, msg); }

static void* take(struct sys_mbox* b) {
  void* msg = b->ring[b->head];
  b->head = (b->head + 1) % SYS_MBOX_CAPACITY;
  b->count--;
  pthread_cond_signal(&b->not_full);
  return msg;
}

u32_t sys_arch_mbox_fetch(sys_mbox_t* mbox, void** msg, u32_t timeout) {
  struct sys_mbox* b = *mbox;
  pthread_mutex_lock(&b->lock);
  const u32_t waited = wait_until(&b->not_empty, &b->lock, mbox_not_empty, b, timeout);
  if (waited != SYS_ARCH_TIMEOUT) {
    void* m = take(b);
    if (msg != NULL) *msg = m;
  }
  pthread_mutex_unlock(&b->lock);
  return waited;
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t* mbox, void** msg) {
  struct sys_mbox* b = *mbox;
  pthread_mutex_lock(&b->lock);
  u32_t out = SYS_MBOX_EMPTY;
  if (b->count > 0) {
    void* m = take(b);
    if (msg != NULL) *msg = m;
    out = 0;
  }
  pthread_mutex_unlock(&b->lock);
  return out;
}

void sys_mbox_free(sys_mbox_t* mbox) {
  struct sys_mbox* b = *mbox;
  if (b == NULL) return;
  pthread_cond_destroy(&b->not_empty);
  pthread_cond_destroy(&b->not_full);
  pthread_mutex_destroy(&b->lock);
  give_slot(mbox_used, (int)(b - mbox_pool));
  *mbox = NULL;
}

/* --- threads ------------------------------------------------------------------------------------ */

struct thread_start {
  lwip_thread_fn fn;
  void* arg;
};

static void* run_thread(void* p) {
  struct thread_start start = *(struct thread_start*)p;
  free(p);
  start.fn(start.arg);
  return NULL;
}

sys_thread_t sys_thread_new(const char* name, lwip_thread_fn thread, void* arg, int stacksize, int prio) {
  (void)name;
  (void)stacksize;
  (void)prio;
  struct thread_start* start = malloc(sizeof *start);
  pthread_t id = 0;
  LWIP_ASSERT("sys_thread_new: out of memory", start != NULL);
  start->fn = thread;
  start->arg = arg;
  if (pthread_create(&id, NULL, run_thread, start) != 0) {
    free(start);
    LWIP_ASSERT("sys_thread_new: pthread_create failed", 0);
  }
  pthread_detach(id);
  return id;
}
