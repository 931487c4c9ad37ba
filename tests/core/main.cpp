// SPDX-License-Identifier: MIT
#include "skip.hpp"

// CppUTest with skip accounting (tests/support/skip.hpp): closes with "N passed, N failed, N skipped";
// exit status 0 / 1 (CppUTest's own is the failure count).
int main(int argc, char** argv) { return emsock_test::run_all_tests(argc, argv); }
