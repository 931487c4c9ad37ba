// SPDX-License-Identifier: MIT
// Compile-only check, in every backend's suite: the headers a firmware includes bring no host-only
// things. <csignal> (SIGINT, std::sig_atomic_t) belongs to emsock/port/run_until_signal.hpp, which
// only hosted programs include. These includes come first, so nothing else can have brought it.
#include "emsock/port/echo_server.hpp"
#include "emsock/port/event_set.hpp"
#include "emsock/port/poll_set.hpp"
#include "emsock/port/port.hpp"
#include "emsock/port/udp_echo_server.hpp"

#if defined(SIGINT) || defined(SIG_DFL)
#error "a firmware-facing emsock/port header includes <csignal>: keep it in run_until_signal.hpp"
#endif
