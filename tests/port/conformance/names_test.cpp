// SPDX-License-Identifier: MIT
// Name resolution and the host name. Only local sources answer: numeric addresses, "localhost"
// (hosts file), the services database, and the reserved ".invalid" domain (RFC 6761), which must
// fail without asking anyone. No test depends on DNS.
//
// What localhost and "http" resolve to is this machine's configuration, not a fact to hard-code
// (the Debian installer's /etc/hosts gives 127.0.0.1 twice for an IPv4 query; a minimal machine
// may have no /etc/services, or no hosts file at all): those cases compare with the platform's own
// answer (environment::reference_resolve, POSIX: the C library's) and are skipped, with the reason,
// when it has none. Backends whose names are the test's own (fake, lwIP) have known answers.
#include <cstring>
#include <string>

#include "conformance.hpp"

using namespace conformance;
using emsock::errc;
using emsock::ip_protocol;
using emsock::resolve_family;
using emsock::resolve_hints;
using emsock::resolved;
using emsock::socket_type;

namespace {

resolve_hints hints(resolve_family f, socket_type t, ip_protocol p = ip_protocol::any) {
  resolve_hints h;
  h.family = f;
  h.type = t;
  h.protocol = p;
  return h;
}

bool skip_without_resolver(const char* what) {
  if (env().has_resolver) return false;
  note_skip(what, "the backend has no resolver");
  return true;
}

/// The platform's answer to a query about this machine's configuration (environment::reference_resolve).
struct platform_answer {
  bool given = false;     ///< false: the backend's names are the test's own (no reference)
  errc code = errc::ok;   ///< the reference's error; ok when it answered
  const char* why = "";   ///< what found nothing, when code is not ok
  std::size_t stored = 0;
  resolved entries[8];
  char name_buffer[emsock::max_canonical_name_len];
  emsock::canonical_name name{name_buffer};  ///< the canonical name, when asked for
};

/// `with_name`: the canonical name is asked for too (platform_answer::name).
platform_answer ask_platform(std::string_view host, std::string_view service, const resolve_hints& h,
                             bool with_name = false) {
  platform_answer a;
  if (env().reference_resolve == nullptr) return a;
  a.given = true;
  const auto r = env().reference_resolve(host, service, h, a.entries, 8, with_name ? &a.name : nullptr, a.why);
  if (r)
    a.stored = r->stored;
  else
    a.code = r.code();
  return a;
}

/// True when the platform has no answer to compare with (the case is then skipped with its reason).
bool platform_has_no_answer(const platform_answer& a) { return a.given && a.code != errc::ok; }

/// CHECKs that resolve()'s entries are the platform's, one for one, in its order.
void check_same_entries(const platform_answer& expected, const resolved* got, std::size_t stored) {
  UNSIGNED_LONGS_EQUAL(expected.stored, stored);
  for (std::size_t i = 0; i < stored && i < expected.stored; ++i) {
    const resolved& e = expected.entries[i];
    CHECK(got[i].where == e.where);
    CHECK(got[i].family == e.family);
    CHECK(got[i].type == e.type);
    CHECK(got[i].protocol == e.protocol);
  }
}

}  // namespace

TEST_GROUP_BASE(names, handle_leak_check){};

TEST(names, without_a_resolver_the_answer_is_unavailable) {
  if (env().has_resolver)  // the other tests cover this backend
    return note_skip("names/without_a_resolver", "the backend has a resolver: this case is for backends without one");
  resolved out[1];
  if (env().numeric_hosts_without_resolver) {  // only names need a resolver
    CHECK_ERRC(errc::name_resolution_unavailable, emsock::resolve("localhost", "80", {}, out));
    CHECK_OK(emsock::resolve("127.0.0.1", "80", {}, out));
    return;
  }
  CHECK_ERRC(errc::name_resolution_unavailable, emsock::resolve("127.0.0.1", "80", {}, out));
}

TEST(names, localhost_as_ipv4_stream) {
  if (skip_without_resolver("names/localhost_as_ipv4_stream")) return;
  const resolve_hints h = hints(resolve_family::inet, socket_type::stream);
  const platform_answer expected = ask_platform("localhost", "80", h);
  // SKIP: the platform cannot resolve localhost (no 'localhost' line in /etc/hosts, or no hosts file).
  if (platform_has_no_answer(expected)) return note_skip("names/localhost_as_ipv4_stream", expected.why);
  resolved out[8];
  const auto r = emsock::resolve("localhost", "80", h, out);
  CHECK_OK(r);
  CHECK(r->stored >= 1);
  CHECK_FALSE(r->truncated());
  for (std::size_t i = 0; i < r->stored; ++i) {  // what the hints ask for
    CHECK(out[i].family == emsock::ip_family::v4);
    UNSIGNED_LONGS_EQUAL(80, out[i].where.port);
    CHECK(out[i].type == socket_type::stream);
    CHECK(out[i].protocol == ip_protocol::tcp);
  }
  if (expected.given) return check_same_entries(expected, out, r->stored);
  for (std::size_t i = 0; i < r->stored; ++i) CHECK(out[i].where.address.is_loopback());  // the test's own names
  CHECK(out[0].where == loopback_v4(80));
}

TEST(names, numeric_ipv4_and_port) {
  if (skip_without_resolver("names/numeric_ipv4_and_port")) return;
  resolve_hints h = hints(resolve_family::any, socket_type::stream);
  h.numeric_host = true;
  h.numeric_service = true;
  resolved out[4];
  const auto r = emsock::resolve("127.0.0.1", "8080", h, out);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(1, r->stored);
  UNSIGNED_LONGS_EQUAL(1, r->found);
  CHECK(out[0].where == loopback_v4(8080));
}

TEST(names, numeric_ipv6_loopback) {
  if (skip_without_resolver("names/numeric_ipv6_loopback")) return;
  resolved out[4];
  const auto r = emsock::resolve("::1", "443", hints(resolve_family::inet6, socket_type::stream), out);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(1, r->stored);
  CHECK(out[0].family == emsock::ip_family::v6);
  CHECK(out[0].where == loopback_v6(443));
}

TEST(names, an_address_of_the_other_family_is_name_not_found) {
  if (skip_without_resolver("names/other_family")) return;
  resolved out[2];
  CHECK_ERRC(errc::name_not_found, emsock::resolve("::1", "", hints(resolve_family::inet, socket_type::stream), out));
  CHECK_ERRC(errc::name_not_found,
             emsock::resolve("127.0.0.1", "", hints(resolve_family::inet6, socket_type::stream), out));
}

TEST(names, numeric_host_rejects_names_without_a_lookup) {
  if (skip_without_resolver("names/numeric_host")) return;
  resolve_hints h;
  h.numeric_host = true;
  resolved out[2];
  CHECK_ERRC(errc::name_not_found, emsock::resolve("localhost", "80", h, out));
}

TEST(names, numeric_service_rejects_service_names) {
  if (skip_without_resolver("names/numeric_service")) return;
  resolve_hints h = hints(resolve_family::inet, socket_type::stream);
  h.numeric_service = true;
  resolved out[2];
  CHECK_ERRC(errc::name_not_found, emsock::resolve("127.0.0.1", "http", h, out));
}

TEST(names, port_texts_a_c_library_would_wrap_are_service_not_found) {
  if (skip_without_resolver("names/port_texts")) return;
  const resolve_hints h = hints(resolve_family::inet, socket_type::stream);
  resolved out[2];
  // glibc's getaddrinfo reads each of these as port 80 (sign, white space, or 80 + 2^32).
  for (const char* text : {"+80", " 80", "-4294967216", "4294967376", "65536"})
    CHECK_ERRC(errc::service_not_found, emsock::resolve("127.0.0.1", text, h, out));
  CHECK_OK(emsock::resolve("127.0.0.1", "65535", h, out));
  UNSIGNED_LONGS_EQUAL(65535, out[0].where.port);
}

TEST(names, service_names_come_from_the_services_database) {
  if (skip_without_resolver("names/service_names")) return;
  // SKIP: no services database (lwIP: a service is a port number; POSIX: no /etc/services).
  if (!env().has_services_database)
    return note_skip("names/service_names",
                     "no services database (POSIX: getservbyname(\"http\", \"tcp\") finds nothing: /etc/services, "
                     "Debian's netbase, is missing; lwIP: a service is a port number)");
  const resolve_hints h = hints(resolve_family::inet, socket_type::stream);
  const platform_answer expected = ask_platform("127.0.0.1", "http", h);
  // SKIP: the platform's resolver does not know http although getservbyname does.
  if (platform_has_no_answer(expected)) return note_skip("names/service_names", expected.why);
  resolved out[4];
  const auto r = emsock::resolve("127.0.0.1", "http", h, out);
  CHECK_OK(r);
  CHECK(r->stored >= 1);
  CHECK(out[0].type == socket_type::stream);
  if (expected.given) return check_same_entries(expected, out, r->stored);  // the port the database says
  UNSIGNED_LONGS_EQUAL(80, out[0].where.port);                                  // the test's own table
}

TEST(names, a_service_not_offered_for_the_socket_type_is_service_not_found) {
  if (skip_without_resolver("names/service_not_found")) return;
  resolved out[4];
  const resolve_hints dgram = hints(resolve_family::inet, socket_type::dgram);
  // http is a TCP service only in the test's own tables and in netbase 6 (older ones listed
  // 80/udp too): the platform says which.
  const platform_answer expected = ask_platform("127.0.0.1", "http", dgram);
  const auto r = emsock::resolve("127.0.0.1", "http", dgram, out);
  if (!expected.given || expected.code != errc::ok) {
    CHECK_ERRC(expected.given ? expected.code : errc::service_not_found, r);
  } else {
    CHECK_OK(r);
    check_same_entries(expected, out, r->stored);
  }
  CHECK_ERRC(errc::service_not_found,
             emsock::resolve("127.0.0.1", "no-such-service-emsock", hints(resolve_family::inet, socket_type::stream), out));
}

TEST(names, any_socket_type_lists_stream_and_dgram_only) {
  if (skip_without_resolver("names/any_socket_type")) return;
  resolve_hints h;
  h.numeric_host = true;
  resolved out[8];
  const auto r = emsock::resolve("127.0.0.1", "7", h, out);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(2, r->found);
  UNSIGNED_LONGS_EQUAL(2, r->stored);
  bool stream = false, dgram = false;
  for (std::size_t i = 0; i < r->stored; ++i) {
    CHECK(out[i].where == loopback_v4(7));
    if (out[i].type == socket_type::stream) stream = out[i].protocol == ip_protocol::tcp;
    if (out[i].type == socket_type::dgram) dgram = out[i].protocol == ip_protocol::udp;
  }
  CHECK(stream);
  CHECK(dgram);
}

TEST(names, too_small_an_array_is_reported_as_truncated) {
  if (skip_without_resolver("names/truncated")) return;
  resolve_hints h;
  h.numeric_host = true;
  resolved one[1];
  const auto r = emsock::resolve("127.0.0.1", "7", h, one);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(1, r->stored);
  UNSIGNED_LONGS_EQUAL(2, r->found);
  CHECK(r->truncated());
  const auto count_only = emsock::resolve("127.0.0.1", "7", h, nullptr, 0);
  CHECK_OK(count_only);
  UNSIGNED_LONGS_EQUAL(0, count_only->stored);
  UNSIGNED_LONGS_EQUAL(2, count_only->found);
  CHECK(count_only->truncated());
  CHECK_ERRC(errc::invalid_argument, emsock::resolve("127.0.0.1", "7", h, nullptr, 1));
}

TEST(names, names_in_the_reserved_invalid_domain_are_not_found) {
  if (skip_without_resolver("names/invalid_domain")) return;
  resolved out[2];
  const char* names[] = {"host.invalid", "a.b.INVALID", "x.Invalid.", "invalid"};
  for (const char* n : names) {
    const auto r = emsock::resolve(n, "80", {}, out);
    CHECK_ERRC(errc::name_not_found, r);
    CHECK_ERRC(errc::name_not_found, emsock::resolve_ipv4(n));
  }
}

TEST(names, canonical_name_into_the_callers_buffer_when_asked) {
  if (skip_without_resolver("names/canonical_name")) return;
  const resolve_hints h = hints(resolve_family::inet, socket_type::any);
  const platform_answer expected = ask_platform("localhost", "80", h, true);
  // SKIP: the platform cannot resolve localhost (no 'localhost' line in /etc/hosts, or no hosts file).
  if (platform_has_no_answer(expected)) return note_skip("names/canonical_name", expected.why);
  resolved out[8];
  char buffer[emsock::max_canonical_name_len];
  emsock::canonical_name name(buffer);
  CHECK_OK(name.assign("stale"));
  const auto r = emsock::resolve("localhost", "80", h, out, &name);
  CHECK_OK(r);
  CHECK(r->stored >= 1);
  // The hosts file's first name for the address (the test's own tables: "localhost").
  const std::string canonical = expected.given ? std::string(expected.name.view()) : "localhost";
  CHECK_FALSE(canonical.empty());
  STRCMP_EQUAL(canonical.c_str(), std::string(name.view()).c_str());
  if (expected.given) check_same_entries(expected, out, r->stored);
  // Too small a buffer: buffer_too_small, never a cut name.
  char small[4];
  emsock::canonical_name short_name(small);
  if (canonical.size() > sizeof small) {
    CHECK_ERRC(errc::buffer_too_small, emsock::resolve("localhost", "80", h, out, &short_name));
    CHECK(short_name.view().empty());
  }
  // Not asked: nothing asked of the resolver, nothing kept (resolved holds no name).
  const auto plain = emsock::resolve("localhost", "80", h, out);
  CHECK_OK(plain);
  UNSIGNED_LONGS_EQUAL(r->stored, plain->stored);
}

TEST(names, empty_host_is_loopback_or_the_wildcard_when_passive) {
  if (skip_without_resolver("names/empty_host")) return;
  resolve_hints h = hints(resolve_family::inet, socket_type::stream);
  resolved out[2];
  CHECK_OK(emsock::resolve("", "8080", h, out));
  CHECK(out[0].where == loopback_v4(8080));
  h.passive = true;
  CHECK_OK(emsock::resolve("", "8080", h, out));
  CHECK(out[0].where == emsock::endpoint({emsock::ipv4_address::any(), 8080}));
  CHECK_ERRC(errc::name_not_found, emsock::resolve("", "", h, out));
}

TEST(names, oversized_or_nul_containing_text_is_invalid_argument) {
  if (skip_without_resolver("names/bad_text")) return;
  resolved out[1];
  const std::string long_host(300, 'a');
  CHECK_ERRC(errc::invalid_argument, emsock::resolve(long_host, "80", {}, out));
  CHECK_ERRC(errc::invalid_argument, emsock::resolve(std::string_view("127.0.0.1\0x", 11), "80", {}, out));
  CHECK_ERRC(errc::invalid_argument, emsock::resolve("127.0.0.1", std::string(40, '1'), {}, out));
}

TEST(names, resolve_ipv4_of_localhost_is_its_first_ipv4_address) {
  if (skip_without_resolver("names/resolve_ipv4_of_localhost")) return;
  const platform_answer expected = ask_platform("localhost", "", hints(resolve_family::inet, socket_type::stream));
  // SKIP: the platform cannot resolve localhost (no 'localhost' line in /etc/hosts, or no hosts file).
  if (platform_has_no_answer(expected)) return note_skip("names/resolve_ipv4_of_localhost", expected.why);
  const auto local = emsock::resolve_ipv4("localhost");
  CHECK_OK(local);
  if (expected.given)
    CHECK(local.value() == expected.entries[0].where.address.v4());
  else
    CHECK(local.value() == emsock::ipv4_address::loopback());  // the test's own names
}

TEST(names, resolve_ipv4_answers_like_gethostbyname) {
  if (skip_without_resolver("names/resolve_ipv4")) return;
  const auto dotted = emsock::resolve_ipv4("127.0.0.2");
  CHECK_OK(dotted);
  CHECK(dotted.value() == emsock::ipv4_address(127, 0, 0, 2));
  CHECK_ERRC(errc::name_not_found, emsock::resolve_ipv4("::1"));
}

TEST(names, canonical_name_storage_is_the_callers_and_bounded) {
  char buffer[emsock::max_canonical_name_len];
  emsock::canonical_name name(buffer);
  UNSIGNED_LONGS_EQUAL(emsock::max_canonical_name_len, name.capacity());
  const std::string longest(emsock::max_canonical_name_len, 'n');
  CHECK_OK(name.assign(longest));
  UNSIGNED_LONGS_EQUAL(emsock::max_canonical_name_len, name.view().size());
  CHECK(name.view().data() == buffer);
  CHECK_ERRC(errc::buffer_too_small, name.assign(longest + "n"));
  UNSIGNED_LONGS_EQUAL(emsock::max_canonical_name_len, name.view().size());  // unchanged
  name.clear();
  CHECK(name.view().empty());
  emsock::canonical_name none(nullptr, 10);  // no buffer: nothing fits, nothing is written
  CHECK_ERRC(errc::buffer_too_small, none.assign("x"));
  CHECK_OK(none.assign(""));
  // A resolved entry is small now: no name inside (an array of them fits a small stack).
  CHECK(sizeof(resolved) <= 48);
}

TEST(names, host_name_fits_exactly_or_is_buffer_too_small) {
  char big[emsock::max_host_name_len + 1];
  const auto n = emsock::host_name(big);
  CHECK_OK(n);
  CHECK(n.value() > 0);
  UNSIGNED_LONGS_EQUAL(n.value(), std::strlen(big));

  char exact[emsock::max_host_name_len + 1];
  const auto fits = emsock::host_name(exact, n.value() + 1);  // name + NUL, not a byte more
  CHECK_OK(fits);
  STRCMP_EQUAL(big, exact);

  char small[emsock::max_host_name_len + 1];
  std::memset(small, '#', sizeof small);
  CHECK_ERRC(errc::buffer_too_small, emsock::host_name(small, n.value()));  // no room for the NUL
  for (char c : small) CHECK(c == '#');  // nothing written, no truncated name
  CHECK_ERRC(errc::invalid_argument, emsock::host_name(nullptr, 10));
}
