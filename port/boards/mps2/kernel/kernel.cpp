// SPDX-License-Identifier: MIT
// kernel.cpp - the scheduler and objects of the mps2 kernel, behind the CMSIS-RTOS2 subset of cmsis_os2.h.
//
// Every thread is in one table; the scheduler scans it (EMSOCK_KERNEL_MAX_THREADS entries) for the ready
// thread of highest priority, starting after the running one, so that equals take turns (round-robin at
// each tick, osThreadYield). A blocked thread records what it waits for (an object and whether it puts or
// gets) and, with a timeout, the tick at which it gives up; a release, put or get hands the object to the
// highest-priority waiter, the earliest of equals. Everything runs with interrupts masked (PRIMASK):
// interrupt handlers may release and put. The switch itself is PendSV's (port.cpp).
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "cmsis_os2.h"
#include "emsock/mps2/board.hpp"
#include "kernel_port.hpp"

namespace {
namespace port = emsock::mps2::kernel_port;

constexpr std::uint32_t guard_word = 0xC0FFEE5Au;
constexpr std::size_t guard_words = 8;  // the lowest 32 bytes of each stack
constexpr std::uint32_t min_stack = 256;
constexpr std::uint32_t default_stack = 1024;
constexpr std::uint8_t idle_priority = 0;  // below osPriorityIdle: never a user thread's

enum class run : std::uint8_t { free, ready, blocked, exited };
enum class want : std::uint8_t { none, take, put };  // take: acquire or get

struct thread {
  std::uint32_t* sp;
  std::uint32_t* stack;  // lowest address: the guard
  const char* name;
  const void* object;    // waited for; nullptr with a plain delay
  void* message;         // a queue wait: the message to put, or the buffer to get into
  std::uint32_t wake;    // tick at which a timed wait ends
  std::uint32_t arrival; // order of waiters of equal priority
  osStatus_t result;
  std::uint8_t priority;
  std::uint8_t slot;     // index in g_threads
  run state;
  want waits;
  bool timed;
  bool pooled;
  int error_number;  // this thread's errno (__errno below)
};

enum : std::uint32_t { semaphore_magic = 0x53454D41u, mutex_magic = 0x4D555458u, queue_magic = 0x51554555u };

struct semaphore {
  std::uint32_t magic;
  std::uint32_t count, max;
};
struct mutex {
  std::uint32_t magic;
  thread* owner;
  std::uint32_t depth;
  bool recursive;
};
struct queue {
  std::uint32_t magic;
  std::uint8_t* buffer;
  std::uint32_t size, capacity, count, head;  // size: one message's bytes; its slot is rounded up to 4
  std::uint8_t* kept;                          // a pool entry's arena buffer, kept across deletes
  std::uint32_t kept_bytes;
};

constexpr std::size_t max_threads = EMSOCK_KERNEL_MAX_THREADS;
thread* g_threads[max_threads];
thread g_thread_pool[max_threads];
semaphore g_semaphore_pool[EMSOCK_KERNEL_MAX_SEMAPHORES];
mutex g_mutex_pool[EMSOCK_KERNEL_MAX_MUTEXES];
queue g_queue_pool[EMSOCK_KERNEL_MAX_QUEUES];
alignas(8) std::uint8_t g_arena[EMSOCK_KERNEL_ARENA_SIZE];
std::size_t g_arena_used = 0;
alignas(8) std::uint32_t g_idle_stack[512 / 4];

thread* g_current = nullptr;
osKernelState_t g_state = osKernelInactive;
volatile std::uint32_t g_tick = 0;
std::uint32_t g_arrivals = 0;
bool g_rotate = false;  // the pending switch may pass to an equal

// Interrupts masked for the scope.
class masked {
 public:
  masked() noexcept : previous_(port::mask()) {}
  ~masked() { port::restore(previous_); }
  masked(const masked&) = delete;
  masked& operator=(const masked&) = delete;

 private:
  std::uint32_t previous_;
};

bool reached(std::uint32_t now, std::uint32_t deadline) { return static_cast<std::int32_t>(now - deadline) >= 0; }

void* arena(std::size_t bytes) {
  bytes = (bytes + 7u) & ~std::size_t{7};
  if (bytes > sizeof g_arena - g_arena_used) return nullptr;
  void* p = g_arena + g_arena_used;
  g_arena_used += bytes;
  return p;
}

// The ready thread to run: the highest priority; among equals the first after the running one, or the
// running one itself unless rotate.
thread* choose(bool rotate) {
  std::size_t start = g_current != nullptr ? g_current->slot : max_threads - 1;
  thread* best = nullptr;
  for (std::size_t k = 1; k <= max_threads; ++k) {
    thread* t = g_threads[(start + k) % max_threads];
    if (t != nullptr && t->state == run::ready && (best == nullptr || t->priority > best->priority)) best = t;
  }
  if (!rotate && g_current != nullptr && g_current->state == run::ready && best != nullptr &&
      g_current->priority >= best->priority)
    return g_current;
  return best;
}

void reschedule(bool rotate) {
  if (g_state != osKernelRunning) return;
  if (choose(rotate) != g_current) {
    g_rotate = rotate;
    port::request_switch();
  }
}

void check_stack(const thread* t) {
  bool broken = false;
  for (std::size_t i = 0; i < guard_words; ++i) broken = broken || t->stack[i] != guard_word;
  if (broken || t->sp < t->stack + guard_words) port::fatal("stack overflow in thread", t->name);
}

void wake(thread* t, osStatus_t result) {
  t->state = run::ready;
  t->object = nullptr;
  t->message = nullptr;
  t->waits = want::none;
  t->timed = false;
  t->result = result;
}

// The waiter to serve on `object`: highest priority, earliest of equals; nullptr when none.
thread* waiter(const void* object, want what) {
  thread* best = nullptr;
  for (thread* t : g_threads) {
    if (t == nullptr || t->state != run::blocked || t->object != object || t->waits != what) continue;
    if (best == nullptr || t->priority > best->priority ||
        (t->priority == best->priority && static_cast<std::int32_t>(t->arrival - best->arrival) < 0))
      best = t;
  }
  return best;
}

bool has_waiter(const void* object) {
  for (thread* t : g_threads)
    if (t != nullptr && t->state == run::blocked && t->object == object) return true;
  return false;
}

// Blocks the running thread (interrupts masked by the caller's `masked`) until wake() or the timeout;
// returns what wake() gave, osErrorTimeout, or osOK after a plain delay.
osStatus_t block(const void* object, want what, void* message, std::uint32_t timeout) {
  thread* self = g_current;
  self->state = run::blocked;
  self->object = object;
  self->waits = what;
  self->message = message;
  self->timed = timeout != osWaitForever;
  self->wake = g_tick + timeout;
  self->arrival = g_arrivals++;
  self->result = object != nullptr ? osErrorTimeout : osOK;
  reschedule(false);
  port::unmask();  // PendSV switches away here; back once woken
  port::mask();
  return self->result;
}

// The control block of an object: attr's cb_mem (checked) or a free entry of the pool.
template <typename T, std::size_t N>
T* control_block(T (&pool)[N], void* cb_mem, std::uint32_t cb_size) {
  if (cb_mem != nullptr) {
    if (cb_size < sizeof(T) || reinterpret_cast<std::uintptr_t>(cb_mem) % alignof(T) != 0) return nullptr;
    return static_cast<T*>(cb_mem);
  }
  for (T& block : pool)
    if (block.magic == 0) return &block;
  return nullptr;
}

template <typename T>
T* object(void* id, std::uint32_t magic) {
  T* p = static_cast<T*>(id);
  return p != nullptr && p->magic == magic ? p : nullptr;
}

void idle(void*) {
  for (;;) port::wait_for_interrupt();
}

thread* new_thread(osThreadFunc_t func, void* argument, const char* name, std::uint8_t priority, void* cb_mem,
                   std::uint32_t cb_size, void* stack_mem, std::uint32_t stack_size) {
  std::size_t slot = 0;
  while (slot < max_threads && g_threads[slot] != nullptr) ++slot;
  if (slot == max_threads) return nullptr;
  thread* t = nullptr;
  if (cb_mem != nullptr) {
    if (cb_size < sizeof(thread) || reinterpret_cast<std::uintptr_t>(cb_mem) % alignof(thread) != 0) return nullptr;
    t = static_cast<thread*>(cb_mem);
  } else {
    for (thread& block : g_thread_pool)
      if (block.state == run::free) {
        t = &block;
        break;
      }
    if (t == nullptr) return nullptr;
  }
  if (stack_mem == nullptr) {
    stack_size = stack_size == 0 ? default_stack : (stack_size + 7u) & ~7u;
    if (stack_size < min_stack || (stack_mem = arena(stack_size)) == nullptr) return nullptr;
  } else if (stack_size < min_stack || stack_size % 8u != 0 || reinterpret_cast<std::uintptr_t>(stack_mem) % 8u != 0) {
    return nullptr;
  }
  *t = thread{};
  t->stack = static_cast<std::uint32_t*>(stack_mem);
  for (std::size_t i = 0; i < guard_words; ++i) t->stack[i] = guard_word;
  t->sp = port::initial_frame(t->stack + stack_size / 4u, func, argument, osThreadExit);
  t->name = name;
  t->error_number = 0;
  t->priority = priority;
  t->slot = static_cast<std::uint8_t>(slot);
  t->pooled = cb_mem == nullptr;
  t->state = run::ready;
  g_threads[slot] = t;
  return t;
}

}  // namespace

extern "C" std::uint32_t* emsock_kernel_switch(std::uint32_t* sp) {
  thread* out = g_current;
  if (out->state == run::exited) {
    g_threads[out->slot] = nullptr;
    out->state = run::free;  // its pool entry (or the caller's cb_mem) may be used again
  } else {
    out->sp = sp;
    check_stack(out);
  }
  g_current = choose(g_rotate);
  g_rotate = false;
  return g_current->sp;
}

extern "C" std::uint32_t* emsock_kernel_first_sp(void) { return g_current->sp; }

// The board's SysTick handler with the kernel (replaces clock.cpp's weak one): the board's millisecond
// count (sys_now(), ticks_ms()), then the kernel's tick.
extern "C" void SysTick_Handler(void) {
  emsock_board_tick();
  emsock_kernel_tick();
}

extern "C" void emsock_kernel_tick(void) {
  if (g_state != osKernelRunning) return;
  masked m;
  g_tick = g_tick + 1u;
  check_stack(g_current);
  for (thread* t : g_threads)
    if (t != nullptr && t->state == run::blocked && t->timed && reached(g_tick, t->wake))
      wake(t, t->object != nullptr ? osErrorTimeout : osOK);
  reschedule(true);
}

osStatus_t emsock_kernel_set_tick_count(std::uint32_t ticks) {
  if (port::in_handler()) return osErrorISR;
  masked m;
  for (thread* t : g_threads)
    if (t != nullptr && t->state == run::blocked && t->timed) return osErrorResource;
  g_tick = ticks;
  return osOK;
}

osStatus_t osKernelInitialize(void) {
  if (port::in_handler()) return osErrorISR;
  if (g_state != osKernelInactive) return osError;
  g_state = osKernelReady;
  new_thread(idle, nullptr, "idle", idle_priority, nullptr, 0, g_idle_stack, sizeof g_idle_stack);
  return osOK;
}

osStatus_t osKernelStart(void) {
  if (port::in_handler()) return osErrorISR;
  if (g_state != osKernelReady) return osError;
  port::mask();
  g_state = osKernelRunning;
  g_current = choose(false);
  emsock::mps2::start_clock();
  port::start();  // unmasks
}

osKernelState_t osKernelGetState(void) { return g_state; }
std::uint32_t osKernelGetTickCount(void) { return g_tick; }
std::uint32_t osKernelGetTickFreq(void) { return 1000u; }

osThreadId_t osThreadNew(osThreadFunc_t func, void* argument, const osThreadAttr_t* attr) {
  if (func == nullptr || port::in_handler() || g_state == osKernelInactive) return nullptr;
  osThreadAttr_t none{};
  if (attr == nullptr) attr = &none;
  int priority = attr->priority == osPriorityNone ? osPriorityNormal : attr->priority;
  if (priority < osPriorityIdle || priority > osPriorityRealtime7) return nullptr;
  masked m;
  thread* t = new_thread(func, argument, attr->name, static_cast<std::uint8_t>(priority), attr->cb_mem, attr->cb_size,
                         attr->stack_mem, attr->stack_size);
  if (t != nullptr) reschedule(false);  // a higher thread runs at once
  return t;
}

osThreadId_t osThreadGetId(void) { return g_current; }

osStatus_t osThreadYield(void) {
  if (port::in_handler()) return osErrorISR;
  if (g_state != osKernelRunning) return osError;
  masked m;
  reschedule(true);
  return osOK;
}

void osThreadExit(void) {
  port::mask();
  if (g_current != nullptr && !port::in_handler()) {
    g_current->state = run::exited;
    reschedule(false);
    port::unmask();
  }
  port::fatal("osThreadExit outside a running thread", "?");
}

osStatus_t osDelay(std::uint32_t ticks) {
  if (port::in_handler()) return osErrorISR;
  if (ticks == 0) return osErrorParameter;
  if (g_state != osKernelRunning) return osError;
  masked m;
  return block(nullptr, want::none, nullptr, ticks);
}

// Semaphores.
osSemaphoreId_t osSemaphoreNew(std::uint32_t max_count, std::uint32_t initial_count, const osSemaphoreAttr_t* attr) {
  if (max_count == 0 || initial_count > max_count || port::in_handler()) return nullptr;
  masked m;
  semaphore* s = control_block(g_semaphore_pool, attr ? attr->cb_mem : nullptr, attr ? attr->cb_size : 0);
  if (s != nullptr) *s = semaphore{semaphore_magic, initial_count, max_count};
  return s;
}

osStatus_t osSemaphoreAcquire(osSemaphoreId_t id, std::uint32_t timeout) {
  semaphore* s = object<semaphore>(id, semaphore_magic);
  if (s == nullptr || (timeout != 0 && port::in_handler())) return osErrorParameter;
  masked m;
  if (s->count > 0) {
    --s->count;
    return osOK;
  }
  if (timeout == 0) return osErrorResource;
  if (g_state != osKernelRunning) return osError;
  return block(s, want::take, nullptr, timeout);
}

osStatus_t osSemaphoreRelease(osSemaphoreId_t id) {
  semaphore* s = object<semaphore>(id, semaphore_magic);
  if (s == nullptr) return osErrorParameter;
  masked m;
  if (thread* t = waiter(s, want::take)) {
    wake(t, osOK);
    reschedule(false);
    return osOK;
  }
  if (s->count >= s->max) return osErrorResource;
  ++s->count;
  return osOK;
}

std::uint32_t osSemaphoreGetCount(osSemaphoreId_t id) {
  semaphore* s = object<semaphore>(id, semaphore_magic);
  return s != nullptr ? s->count : 0u;
}

osStatus_t osSemaphoreDelete(osSemaphoreId_t id) {
  if (port::in_handler()) return osErrorISR;
  semaphore* s = object<semaphore>(id, semaphore_magic);
  if (s == nullptr) return osErrorParameter;
  masked m;
  if (has_waiter(s)) return osErrorResource;
  s->magic = 0;
  return osOK;
}

// Mutexes.
osMutexId_t osMutexNew(const osMutexAttr_t* attr) {
  if (port::in_handler()) return nullptr;
  masked m;
  mutex* x = control_block(g_mutex_pool, attr ? attr->cb_mem : nullptr, attr ? attr->cb_size : 0);
  if (x != nullptr) *x = mutex{mutex_magic, nullptr, 0, attr != nullptr && (attr->attr_bits & osMutexRecursive) != 0};
  return x;
}

osStatus_t osMutexAcquire(osMutexId_t id, std::uint32_t timeout) {
  if (port::in_handler()) return osErrorISR;
  mutex* x = object<mutex>(id, mutex_magic);
  if (x == nullptr) return osErrorParameter;
  if (g_state != osKernelRunning) return osError;
  masked m;
  if (x->owner == nullptr) {
    x->owner = g_current;
    x->depth = 1;
    return osOK;
  }
  if (x->owner == g_current) {
    if (!x->recursive) return osErrorResource;
    ++x->depth;
    return osOK;
  }
  if (timeout == 0) return osErrorResource;
  return block(x, want::take, nullptr, timeout);  // the releaser makes us the owner
}

osStatus_t osMutexRelease(osMutexId_t id) {
  if (port::in_handler()) return osErrorISR;
  mutex* x = object<mutex>(id, mutex_magic);
  if (x == nullptr) return osErrorParameter;
  masked m;
  if (x->owner == nullptr || x->owner != g_current) return osErrorResource;
  if (--x->depth > 0) return osOK;
  x->owner = waiter(x, want::take);
  if (x->owner != nullptr) {
    x->depth = 1;
    wake(x->owner, osOK);
    reschedule(false);
  }
  return osOK;
}

osThreadId_t osMutexGetOwner(osMutexId_t id) {
  mutex* x = object<mutex>(id, mutex_magic);
  return x != nullptr ? x->owner : nullptr;
}

osStatus_t osMutexDelete(osMutexId_t id) {
  if (port::in_handler()) return osErrorISR;
  mutex* x = object<mutex>(id, mutex_magic);
  if (x == nullptr) return osErrorParameter;
  masked m;
  if (x->owner != nullptr || has_waiter(x)) return osErrorResource;
  x->magic = 0;
  return osOK;
}

// Message queues: a ring of `capacity` slots of the message size rounded up to 4 bytes.
namespace {
std::uint32_t slot_bytes(std::uint32_t size) { return (size + 3u) & ~3u; }
std::uint8_t* slot(queue* q, std::uint32_t i) { return q->buffer + (i % q->capacity) * slot_bytes(q->size); }

// A free pool entry for a queue of `bytes` taking its buffer from the arena: the one whose kept buffer
// fits best, else one without a buffer, else any (its kept buffer too small: a new one replaces it).
queue* pooled_queue_for(std::uint32_t bytes) {
  queue* fits = nullptr;
  queue* bare = nullptr;
  queue* other = nullptr;
  for (queue& q : g_queue_pool) {
    if (q.magic != 0) continue;
    if (q.kept_bytes >= bytes) {
      if (fits == nullptr || q.kept_bytes < fits->kept_bytes) fits = &q;
    } else if (q.kept_bytes == 0) {
      if (bare == nullptr) bare = &q;
    } else if (other == nullptr) {
      other = &q;
    }
  }
  return fits != nullptr ? fits : bare != nullptr ? bare : other;
}
}  // namespace

osMessageQueueId_t osMessageQueueNew(std::uint32_t msg_count, std::uint32_t msg_size, const osMessageQueueAttr_t* attr) {
  if (msg_count == 0 || msg_size == 0 || msg_size > 0x10000u || msg_count > 0x10000u || port::in_handler())
    return nullptr;
  std::uint32_t bytes = msg_count * slot_bytes(msg_size);
  void* cb_mem = attr != nullptr ? attr->cb_mem : nullptr;
  void* buffer = attr != nullptr ? attr->mq_mem : nullptr;
  if (buffer != nullptr && (attr->mq_size < bytes || reinterpret_cast<std::uintptr_t>(buffer) % 4u != 0))
    return nullptr;
  masked m;
  queue* q = cb_mem != nullptr || buffer != nullptr ? control_block(g_queue_pool, cb_mem, attr->cb_size)
                                                    : pooled_queue_for(bytes);
  if (q == nullptr) return nullptr;
  const bool pooled = cb_mem == nullptr;
  std::uint8_t* kept = pooled ? q->kept : nullptr;  // a caller's cb_mem holds no kept buffer
  std::uint32_t kept_bytes = pooled ? q->kept_bytes : 0u;
  if (buffer == nullptr) {
    if (kept_bytes < bytes) {
      if ((buffer = arena(bytes)) == nullptr) return nullptr;
      if (pooled) {  // the smaller buffer it kept, if any, is lost: pooled_queue_for() avoided that when it could
        kept = static_cast<std::uint8_t*>(buffer);
        kept_bytes = bytes;
      }
    } else {
      buffer = kept;
    }
  }
  *q = queue{queue_magic, static_cast<std::uint8_t*>(buffer), msg_size, msg_count, 0, 0, kept, kept_bytes};
  return q;
}

osStatus_t osMessageQueuePut(osMessageQueueId_t id, const void* msg_ptr, std::uint8_t, std::uint32_t timeout) {
  queue* q = object<queue>(id, queue_magic);
  if (q == nullptr || msg_ptr == nullptr || (timeout != 0 && port::in_handler())) return osErrorParameter;
  masked m;
  if (q->count == 0) {
    if (thread* t = waiter(q, want::take)) {  // straight into the waiting getter's buffer
      std::memcpy(t->message, msg_ptr, q->size);
      wake(t, osOK);
      reschedule(false);
      return osOK;
    }
  }
  if (q->count < q->capacity) {
    std::memcpy(slot(q, q->head + q->count), msg_ptr, q->size);
    ++q->count;
    return osOK;
  }
  if (timeout == 0) return osErrorResource;
  if (g_state != osKernelRunning) return osError;
  return block(q, want::put, const_cast<void*>(msg_ptr), timeout);  // a getter copies it in
}

osStatus_t osMessageQueueGet(osMessageQueueId_t id, void* msg_ptr, std::uint8_t* msg_prio, std::uint32_t timeout) {
  queue* q = object<queue>(id, queue_magic);
  if (q == nullptr || msg_ptr == nullptr || (timeout != 0 && port::in_handler())) return osErrorParameter;
  if (msg_prio != nullptr) *msg_prio = 0;
  masked m;
  if (q->count > 0) {
    std::memcpy(msg_ptr, slot(q, q->head), q->size);
    q->head = (q->head + 1u) % q->capacity;
    --q->count;
    if (thread* t = waiter(q, want::put)) {  // the freed slot takes the waiting putter's message
      std::memcpy(slot(q, q->head + q->count), t->message, q->size);
      ++q->count;
      wake(t, osOK);
      reschedule(false);
    }
    return osOK;
  }
  if (timeout == 0) return osErrorResource;
  if (g_state != osKernelRunning) return osError;
  return block(q, want::take, msg_ptr, timeout);
}

std::uint32_t osMessageQueueGetCount(osMessageQueueId_t id) {
  queue* q = object<queue>(id, queue_magic);
  return q != nullptr ? q->count : 0u;
}

osStatus_t osMessageQueueDelete(osMessageQueueId_t id) {
  if (port::in_handler()) return osErrorISR;
  queue* q = object<queue>(id, queue_magic);
  if (q == nullptr) return osErrorParameter;
  masked m;
  if (has_waiter(q)) return osErrorResource;
  q->magic = 0;
  return osOK;
}

// newlib's errno is one global (its reentrancy structure's): here each thread has its own, as POSIX
// threads do, so that a switch between a call that fails and the errno read after it cannot hand one
// thread another's value (lwIP's sockets set errno, to 0 on success too, and emsock reads it after a
// failed call). newlib's `errno` is `*__errno()`; this definition replaces the C library's. Before
// osKernelStart and in interrupt handlers errno is one value of its own. Not redirected: what newlib's
// functions store through their reentrancy structure directly (its _r functions).
namespace {
int g_errno_outside_threads = 0;
}  // namespace

extern "C" int* __errno(void) {
  if (g_current == nullptr || port::in_handler()) return &g_errno_outside_threads;
  return &g_current->error_number;
}
