/* SPDX-License-Identifier: MIT */
/* port/lwip-raw/config-net/arch/cc.h - the same compiler and platform as the loopback configuration. */
#include "../../config/arch/cc.h"
