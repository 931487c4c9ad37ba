#include <CppUTest/CommandLineTestRunner.h>

// CppUTest's exit status is the failure count; ctest only needs zero / non-zero.
int main(int argc, char** argv) { return CommandLineTestRunner::RunAllTests(argc, argv) == 0 ? 0 : 1; }
