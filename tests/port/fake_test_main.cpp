// Runner of the fake backend's own tests (tests/port/fake_*_test.cpp).
#include <CppUTest/CommandLineTestRunner.h>

int main(int argc, char** argv) { return CommandLineTestRunner::RunAllTests(argc, argv) == 0 ? 0 : 1; }
