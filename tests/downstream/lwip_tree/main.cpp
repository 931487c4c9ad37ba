// SPDX-License-Identifier: MIT
// Links the lwIP backend built against a firmware's own lwIP tree; exits 0 when the pieces fit.
#include <emsock/emsock.hpp>
#include <emsock/port/port.hpp>

#include <cstring>

int main(int argc, char** argv) {
  // Referencing the socket API makes the link prove that emsock::lwip and the tree's lwipcore fit;
  // starting a stack is the firmware's business (and port-lwip-firmware's), not this check's.
  if (argc > 1 && std::strcmp(argv[1], "--listen") == 0) {
    return emsock::tcp_listener::listen({emsock::ipv4_address::loopback(), 0}).ok() ? 0 : 1;
  }
  return emsock::port_name == std::string_view("lwip") ? 0 : 1;
}
