// SPDX-License-Identifier: MIT
// Runs the fake-backend examples of README.md and docs/ as the CppUTest tests they are.
#include <CppUTest/CommandLineTestRunner.h>

int main(int argc, char** argv) { return CommandLineTestRunner::RunAllTests(argc, argv); }
