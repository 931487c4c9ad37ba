# Differential test, no-heap proof and symbol check of libemsock_core.a (see tests/core/README).
