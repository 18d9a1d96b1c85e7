#include "bot/slack/http_receiver.hpp"

#include "bot/net/form.hpp"
#include "bot/slack/signature.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace incident_bot::bot {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

ServerResponse bad_request(std::string reason) { return plain_response(http::status::bad_request, std::move(reason) + "\n"); }
ServerResponse empty_ok() { return plain_response(http::status::ok, ""); }

ServerResponse respond(const InboundAnswer& answer) {
  switch (answer.kind) {
    case InboundAnswer::Kind::empty: return empty_ok();
    case InboundAnswer::Kind::body: return json_response(json::serialize(answer.body));
    case InboundAnswer::Kind::malformed: return bad_request(answer.problem);
  }
  return empty_ok();
}

}  // namespace

SlackHttp::SlackHttp(SlackInbound& inbound, SlackHttpOptions options, std::shared_ptr<spdlog::logger> logger)
    : inbound_(inbound), options_(std::move(options)), logger_(std::move(logger)) {}

void SlackHttp::add_routes(Router& router) {
  router.add(http::verb::post, "/slack/commands", [this](const ServerRequest& r) { return commands(r); });
  router.add(http::verb::post, "/slack/interactivity", [this](const ServerRequest& r) { return interactivity(r); });
  router.add(http::verb::post, "/slack/events", [this](const ServerRequest& r) { return events(r); });
}

std::optional<ServerResponse> SlackHttp::refuse_unsigned(const ServerRequest& request) {
  const std::string problem =
      slack_signature_problem(options_.signing_secret, request["X-Slack-Request-Timestamp"],
                              request["X-Slack-Signature"], request.body(), options_.clock());
  if (problem.empty()) return std::nullopt;
  logger_->warn("refused {}: {}", std::string(request.target()), problem);
  return plain_response(http::status::unauthorized, "invalid request signature: " + problem + "\n");
}

ServerResponse SlackHttp::commands(const ServerRequest& request) {
  const auto fields = parse_form(request.body());
  if (fields && field(*fields, "ssl_check") == "1") return empty_ok();
  if (auto refusal = refuse_unsigned(request)) return std::move(*refusal);
  if (!fields) return bad_request("malformed form body");
  return respond(inbound_.command({field(*fields, "channel_id"), field(*fields, "user_id"), field(*fields, "text"),
                                   field(*fields, "trigger_id")}));
}

ServerResponse SlackHttp::interactivity(const ServerRequest& request) {
  if (auto refusal = refuse_unsigned(request)) return std::move(*refusal);
  const auto fields = parse_form(request.body());
  if (!fields || !fields->contains("payload")) return bad_request("expected a form with a payload field");
  boost::system::error_code ec;
  const json::value payload = json::parse(field(*fields, "payload"), ec);
  if (ec || !payload.is_object()) return bad_request("payload is not a JSON object");
  return respond(inbound_.interaction(payload.as_object()));
}

ServerResponse SlackHttp::events(const ServerRequest& request) {
  if (auto refusal = refuse_unsigned(request)) return std::move(*refusal);
  boost::system::error_code ec;
  const json::value body = json::parse(request.body(), ec);
  if (ec || !body.is_object()) return bad_request("body is not a JSON object");
  if (json_string_at(body.as_object(), {"type"}) == "url_verification")
    return plain_response(http::status::ok, json_string_at(body.as_object(), {"challenge"}));
  return respond(inbound_.event(body.as_object()));
}

}  // namespace incident_bot::bot
