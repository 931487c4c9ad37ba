// SPDX-License-Identifier: MIT
// Runner of the fake backend's own tests (tests/port/fake_*_test.cpp).
#include "skip.hpp"

int main(int argc, char** argv) { return emsock_test::run_all_tests(argc, argv); }
