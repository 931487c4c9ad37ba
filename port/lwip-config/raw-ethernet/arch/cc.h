/* SPDX-License-Identifier: MIT */
/* port/lwip-config/raw-ethernet/arch/cc.h - the same compiler and platform as the loopback configuration. */
#include "../../raw-loopback/arch/cc.h"
