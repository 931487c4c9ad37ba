// SPDX-License-Identifier: MIT
// emsock/port/port.hpp - the whole socket interface: TCP and UDP sockets, poll, names.
#pragma once

#include "emsock/port/names.hpp"
#include "emsock/port/native.hpp"
#include "emsock/port/poll.hpp"
#include "emsock/port/socket.hpp"
#include "emsock/port/udp.hpp"
