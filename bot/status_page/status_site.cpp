#include "bot/status_page/status_site.hpp"

#include "store/store.hpp"
#include "workflows/markup.hpp"

#include <boost/beast/http/field.hpp>
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <string>

namespace incident_bot::bot {

namespace http = boost::beast::http;

namespace {

// FNV-1a over the body: an ETag changes when the bytes do.
std::string etag_of(std::string_view body) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

// The page allows its own inline style and its one script, named by hash; nothing else loads or frames it.
std::string content_security_policy() {
  const std::string_view script = templates::page_script();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(script.data(), script.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> encoded{};
  const int encoded_length = EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(length));
  return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" +
         std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(encoded_length)) +
         "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

bool matches_etag(std::string_view header, std::string_view etag) {
  if (header == "*") return true;
  // A list of tags, perhaps weak (W/"…"): any one equal to ours.
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string http_date(Timestamp at) {
  constexpr std::array<const char*, 7> weekdays{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday
  constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string shown = markup::utc_time(at);  // "2026-11-18 11:06 UTC": the calendar is worked out once, there
  const std::int64_t days = at >= 0 ? at / 86400 : (at - 86399) / 86400;
  const std::int64_t seconds = ((at % 60) + 60) % 60;
  const int month = std::stoi(shown.substr(5, 2));
  char text[40];
  std::snprintf(text, sizeof text, "%s, %s %s %s %s:%02lld GMT", weekdays[static_cast<std::size_t>(((days % 7) + 7) % 7)],
                shown.substr(8, 2).c_str(), months[static_cast<std::size_t>(month - 1)], shown.substr(0, 4).c_str(),
                shown.substr(11, 5).c_str(), static_cast<long long>(seconds));
  return text;
}

StatusSite::StatusSite(boost::asio::any_io_executor executor, SQLite::Database& db, StatusSiteOptions options,
                       std::shared_ptr<spdlog::logger> logger)
    : db_(db), options_(std::move(options)), logger_(std::move(logger)), timer_(executor),
      content_security_policy_(content_security_policy()) {}

StatusSite::~StatusSite() = default;

void StatusSite::add_routes(Router& router) {
  const auto handler = [this](const ServerRequest& request) { return answer(request); };
  for (const char* path : {"/status", "/status/incidents/*", "/api/v2/summary.json", "/api/v2/status.json",
                           "/api/v2/components.json", "/api/v2/incidents.json", "/api/v2/incidents/unresolved.json",
                           "/history.atom"})
    router.add(http::verb::get, path, handler);
}

void StatusSite::start() {
  stopped_ = false;
  refresh();
  schedule();
}

void StatusSite::stop() {
  stopped_ = true;
  timer_.cancel();
}

void StatusSite::schedule() {
  if (stopped_) return;
  timer_.expires_after(options_.check_every);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    refresh();
    schedule();
  });
}

void StatusSite::refresh() {
  try {
    const std::int64_t revision = store::public_revision(db_);
    const bool stale = !snapshot_ || snapshot_->revision != revision ||
                       options_.clock() - snapshot_->built_at >= options_.rebuild_every;
    if (stale) rebuild(revision);
  } catch (const std::exception& error) {
    // The last snapshot stays served; the next tick tries again.
    logger_->warn("status page: could not read the store ({}); serving the last snapshot", error.what());
  }
}

void StatusSite::rebuild(std::int64_t revision) {
  const Timestamp now = options_.clock();
  const std::vector<PublicEntry> entries = store::public_entries(db_);
  const templates::PageView view{options_.settings, entries, now};
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->revision = revision;
  snapshot->built_at = now;
  const Timestamp updated = templates::page_updated_at(view);
  snapshot->last_modified = http_date(updated ? updated : now);
  for (auto& file : page_files(view)) {
    std::string etag = etag_of(file.body);
    snapshot->documents.emplace(std::move(file.path), Document{std::move(file.content_type), std::move(file.body), std::move(etag)});
  }
  snapshot_ = std::move(snapshot);
}

ServerResponse StatusSite::answer(const ServerRequest& request) const {
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (!snapshot_) return plain_response(http::status::service_unavailable, "the status page is starting\n");
  const auto found = snapshot_->documents.find(path);
  if (found == snapshot_->documents.end()) return plain_response(http::status::not_found, "no such page\n");
  const Document& document = found->second;
  const auto if_none_match = request[http::field::if_none_match];
  const auto if_modified_since = request[http::field::if_modified_since];
  const bool fresh = !if_none_match.empty() ? matches_etag(if_none_match, document.etag)
                                            : !if_modified_since.empty() && if_modified_since == snapshot_->last_modified;
  ServerResponse response{fresh ? http::status::not_modified : http::status::ok, request.version()};
  response.set(http::field::etag, document.etag);
  response.set(http::field::last_modified, snapshot_->last_modified);
  response.set(http::field::cache_control, "public, max-age=30");
  response.set("X-Content-Type-Options", "nosniff");
  if (document.content_type.starts_with("text/html"))
    response.set("Content-Security-Policy", content_security_policy_);
  if (document.content_type.starts_with("application/json")) response.set(http::field::access_control_allow_origin, "*");
  if (!fresh) {
    response.set(http::field::content_type, document.content_type);
    response.body() = document.body;
  }
  return response;
}

}  // namespace incident_bot::bot
