// SPDX-License-Identifier: MIT
// emsock/port/native.hpp - the one header where the backend shows through.
//
// CMake defines exactly one of EMSOCK_PORT_POSIX, EMSOCK_PORT_LWIP, EMSOCK_PORT_LWIP_RAW, EMSOCK_PORT_FAKE for
// every target that links a backend (emsock::posix, emsock::lwip, emsock::lwip_raw_backend, emsock::fake). Every other port header is the
// same for all backends; this dispatch is the only platform #if of the interface. Each backend's
// header provides: native_handle_type, invalid_native_handle, port_name, native_pollfd (the record
// poll_set<N> stores) and its one native error -> errc mapping.
#pragma once

#if (defined(EMSOCK_PORT_POSIX) + defined(EMSOCK_PORT_LWIP) + defined(EMSOCK_PORT_FAKE) + \
     defined(EMSOCK_PORT_LWIP_RAW)) > 1
#error "emsock: define only one of EMSOCK_PORT_POSIX, EMSOCK_PORT_LWIP, EMSOCK_PORT_LWIP_RAW and EMSOCK_PORT_FAKE"
#elif defined(EMSOCK_PORT_POSIX)
#include "emsock/port/native_posix.hpp"
#elif defined(EMSOCK_PORT_LWIP)
#include "emsock/port/native_lwip.hpp"
#elif defined(EMSOCK_PORT_LWIP_RAW)
#include "emsock/port/native_lwip_raw.hpp"
#elif defined(EMSOCK_PORT_FAKE)
#include "emsock/port/native_fake.hpp"
#else
#error "emsock: no socket backend selected: link emsock::posix, emsock::lwip, emsock::lwip_raw_backend or emsock::fake"
#endif
