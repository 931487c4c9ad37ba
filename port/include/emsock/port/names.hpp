// SPDX-License-Identifier: MIT
// emsock/port/names.hpp - name resolution (getaddrinfo) and the host name (gethostname).
//
// All three functions are thread-safe and write only into the caller's storage. The POSIX backend
// uses getaddrinfo, which allocates inside the C library (its list is copied out and freed before
// returning) and may read /etc/hosts, /etc/services and ask DNS servers: never call it on a data path.
// The lwIP backend's resolve() of a name (not of a numeric address) takes one buffer of the name's
// length + 1 from lwIP's heap (mem_malloc) for the lookup and gives it back before returning; without
// one it answers out_of_memory. lwIP's DNS client queries its servers: also never on a data path.
// Names under the reserved top-level domain "invalid" (RFC 6761 section 6.4: "x.invalid",
// "invalid") are answered name_not_found at once, without asking anyone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "emsock/ip_address.hpp"
#include "emsock/ipv4_address.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// Which address families resolve() may return.
enum class resolve_family : std::uint8_t { any, inet, inet6 };
/// Socket type of a resolved entry (any: in hints only).
enum class socket_type : std::uint8_t { any, stream, dgram };
/// Transport protocol of a resolved entry (any: in hints, or unknown).
enum class ip_protocol : std::uint8_t { any, tcp, udp };

/// What resolve() should look for (getaddrinfo's hints).
struct resolve_hints {
  resolve_family family = resolve_family::any;
  socket_type type = socket_type::any;
  ip_protocol protocol = ip_protocol::any;
  /// An empty host gives the wildcard address (to listen on) instead of loopback (AI_PASSIVE).
  bool passive = false;
  /// The host must be a numeric address; names are name_not_found without a lookup (AI_NUMERICHOST).
  bool numeric_host = false;
  /// The service must be a port number; names are name_not_found (AI_NUMERICSERV).
  bool numeric_service = false;
};

/// One resolved address: what getaddrinfo says about it. Small (no name inside): an array of them
/// fits an RTOS thread's stack; the canonical name, when wanted, goes to a canonical_name.
struct resolved {
  ip_family family = ip_family::v4;
  socket_type type = socket_type::any;
  ip_protocol protocol = ip_protocol::any;
  endpoint where;  ///< address (with zone for scoped IPv6) and port
};

/// Longest canonical name a lookup can give (a DNS name has at most 253 characters; 255 as POSIX
/// host names): a buffer of this size holds any of them.
inline constexpr std::size_t max_canonical_name_len = 255;

/// The caller's storage for the canonical name of a lookup (getaddrinfo's AI_CANONNAME): resolve()
/// asks the resolver for the name only when it is given one. Holds no NUL; view() is the name.
class canonical_name {
 public:
  /// Names up to `size` characters go to buffer[0 .. size), which must outlive this object.
  canonical_name(char* buffer, std::size_t size) noexcept : buffer_(buffer), size_(buffer == nullptr ? 0 : size) {}
  template <std::size_t N>
  explicit canonical_name(char (&buffer)[N]) noexcept : canonical_name(buffer, N) {}

  /// The name stored (empty before resolve(), or when the resolver gave none).
  std::string_view view() const noexcept { return {buffer_, length_}; }
  std::size_t capacity() const noexcept { return size_; }

  /// Stores `name`. Errors: buffer_too_small when it is longer than capacity() (the old name stays).
  status assign(std::string_view name) noexcept {
    if (name.size() > size_) return errc::buffer_too_small;
    if (!name.empty()) std::memcpy(buffer_, name.data(), name.size());
    length_ = name.size();
    return {};
  }
  /// Forgets the name (view() is empty).
  void clear() noexcept { length_ = 0; }

 private:
  char* buffer_;
  std::size_t size_;
  std::size_t length_ = 0;
};

/// How many entries resolve() found and how many of them it stored.
struct resolve_count {
  std::size_t stored = 0;  ///< entries written to out[0 .. stored)
  std::size_t found = 0;   ///< entries the resolver returned (after skipping other socket types)

  /// True when the output array was too small: found - stored entries were dropped.
  constexpr bool truncated() const noexcept { return found > stored; }
};

/// Resolves `host` and `service` (a port number or a name from the services database: "http" is 80)
/// into up to `capacity` entries of `out`, in the resolver's order. An empty host means loopback, or
/// the wildcard address with hints.passive; an empty service means port 0. Entries of socket types
/// other than stream and dgram (the SOCK_RAW entries glibc adds when the type is any) are skipped
/// and not counted. Never truncates silently: check truncated().
/// With `name` (not null), the canonical name of the host is asked for (AI_CANONNAME) and stored
/// there: the resolver's name for a looked-up host, the text itself for a numeric one, empty when
/// the resolver gives none; `name` is cleared first. Without it, no name is asked for or kept.
/// Limits: host at most 255 characters, service at most 31, no embedded NUL (else invalid_argument).
/// Errors: name_not_found (no such name, or a name where numeric_host asked for an address, or no
/// address in the requested family), name_temporary_failure, name_resolution_failed,
/// service_not_found (service unknown or not valid for the socket type), family_not_supported,
/// operation_not_supported (socket type), buffer_too_small (a canonical name longer than
/// name->capacity(); nothing is stored then), out_of_memory, invalid_argument (also out null with
/// capacity > 0).
result<resolve_count> resolve(std::string_view host, std::string_view service, const resolve_hints& hints,
                              resolved* out, std::size_t capacity, canonical_name* name = nullptr) noexcept;

/// resolve() into a whole array.
template <std::size_t N>
result<resolve_count> resolve(std::string_view host, std::string_view service, const resolve_hints& hints,
                              resolved (&out)[N], canonical_name* name = nullptr) noexcept {
  return resolve(host, service, hints, out, N, name);
}

/// What gethostbyname answers: the first IPv4 address of `host` (a name or a dotted quad). Done with
/// getaddrinfo (AF_INET), because gethostbyname returns a static buffer and is not thread-safe.
/// Errors: those of resolve().
result<ipv4_address> resolve_ipv4(std::string_view host) noexcept;

/// Longest host name host_name() can return (POSIX HOST_NAME_MAX is at most 255).
inline constexpr std::size_t max_host_name_len = 255;

/// Writes this machine's host name and a terminating NUL into buffer[0 .. size); returns the
/// length without the NUL. buffer_too_small, writing nothing, when name + NUL do not fit (never a
/// truncated name). Errors: buffer_too_small, invalid_argument (null buffer), system_error.
result<std::size_t> host_name(char* buffer, std::size_t size) noexcept;

/// host_name() into a whole array.
template <std::size_t N>
result<std::size_t> host_name(char (&buffer)[N]) noexcept {
  return host_name(buffer, N);
}

}  // namespace emsock
