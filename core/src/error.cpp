// SPDX-License-Identifier: MIT
// One table maps each errc to its identifier and its phrase; describe() and name() read it.
#include "emsock/error.hpp"

namespace emsock {
namespace {

struct errc_text {
  const char* name;
  const char* phrase;
};

// Indexed by the errc value; the static_assert below keeps it in step with the enum.
constexpr errc_text texts[] = {
    {"ok", "no error"},
    {"empty_input", "empty input"},
    {"embedded_nul", "embedded NUL character"},
    {"unexpected_character", "unexpected character"},
    {"leading_zero", "leading zero not permitted"},
    {"part_out_of_range", "part out of range"},
    {"too_many_parts", "too many parts"},
    {"too_few_parts", "too few parts"},
    {"empty_part", "empty part"},
    {"bad_octal_digit", "bad octal digit"},
    {"empty_hex_number", "hex prefix without digits"},
    {"group_too_long", "group has more than four hex digits"},
    {"too_many_groups", "too many groups"},
    {"too_few_groups", "too few groups"},
    {"more_than_one_double_colon", "more than one \"::\""},
    {"lone_colon", "single colon at start or end"},
    {"ipv4_tail_misplaced", "no room for embedded IPv4"},
    {"zone_not_permitted", "zone id not permitted"},
    {"zone_empty", "empty zone id"},
    {"zone_too_long", "zone id too long"},
    {"missing_bracket", "missing bracket"},
    {"missing_port", "missing port"},
    {"port_out_of_range", "port out of range"},
    {"wrong_family", "wrong address family"},
    {"buffer_too_small", "buffer too small"},
    {"would_block", "operation would block"},
    {"in_progress", "operation in progress"},
    {"interrupted", "interrupted by a signal"},
    {"timed_out", "timed out"},
    {"connection_refused", "connection refused"},
    {"connection_reset", "connection reset by peer"},
    {"connection_aborted", "connection aborted"},
    {"broken_pipe", "broken pipe"},
    {"not_connected", "not connected"},
    {"already_connected", "already connected"},
    {"address_in_use", "address in use"},
    {"address_not_available", "address not available"},
    {"network_unreachable", "network unreachable"},
    {"host_unreachable", "host unreachable"},
    {"permission_denied", "permission denied"},
    {"too_many_open_files", "too many open sockets"},
    {"out_of_memory", "out of buffers or memory"},
    {"invalid_argument", "invalid argument"},
    {"family_not_supported", "address family not supported"},
    {"operation_not_supported", "operation not supported"},
    {"message_too_long", "message too long"},
    {"name_not_found", "name not found"},
    {"name_temporary_failure", "temporary failure in name resolution"},
    {"name_resolution_failed", "name resolution failed"},
    {"name_resolution_unavailable", "no name resolution in this build"},
    {"service_not_found", "service not found for socket type"},
    {"system_error", "system error"},
    {"datagram_truncated", "datagram longer than the buffer"},
    {"called_from_callback", "socket call from inside the network stack"},
};

static_assert(sizeof(texts) / sizeof(texts[0]) == static_cast<unsigned>(errc::called_from_callback) + 1,
              "every errc needs a row in texts");

constexpr errc_text unknown{"unknown", "unknown error"};

const errc_text& text_of(errc code) noexcept {
  const auto i = static_cast<unsigned>(code);
  return i < sizeof(texts) / sizeof(texts[0]) ? texts[i] : unknown;
}

}  // namespace

const char* describe(errc code) noexcept { return text_of(code).phrase; }
const char* name(errc code) noexcept { return text_of(code).name; }

}  // namespace emsock
