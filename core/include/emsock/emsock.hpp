// SPDX-License-Identifier: MIT
// emsock/emsock.hpp - the umbrella header: everything in the core.
#pragma once

#include "emsock/byte_order.hpp"
#include "emsock/contract.hpp"
#include "emsock/datagram_echo.hpp"
#include "emsock/duration.hpp"
#include "emsock/echo_client_session.hpp"
#include "emsock/echo_session.hpp"
#include "emsock/error.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/ipv4_address.hpp"
#include "emsock/ipv6_address.hpp"
#include "emsock/result.hpp"
