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

AnswerInbound respond_with(Responder respond) {
  return [respond = std::move(respond)](InboundAnswer answer) {
    switch (answer.kind) {
      case InboundAnswer::Kind::empty: return respond(empty_ok());
      case InboundAnswer::Kind::body: return respond(json_response(json::serialize(answer.body)));
      case InboundAnswer::Kind::malformed: return respond(bad_request(answer.problem));
      case InboundAnswer::Kind::failed: return respond.fail();
    }
    respond(empty_ok());
  };
}

}  // namespace

SlackHttp::SlackHttp(SlackInbound& inbound, SlackHttpOptions options, std::shared_ptr<spdlog::logger> logger)
    : inbound_(inbound), options_(std::move(options)), logger_(std::move(logger)),
      refusals_(logger_, "unsigned or badly signed Slack requests", options_.clock) {}

void SlackHttp::add_routes(Router& router) {
  router.add_deferred(http::verb::post, "/slack/commands",
                      [this](const ServerRequest& r, Responder respond) { commands(r, std::move(respond)); });
  router.add_deferred(http::verb::post, "/slack/interactivity",
                      [this](const ServerRequest& r, Responder respond) { interactivity(r, std::move(respond)); });
  router.add_deferred(http::verb::post, "/slack/events",
                      [this](const ServerRequest& r, Responder respond) { events(r, std::move(respond)); });
}

std::optional<ServerResponse> SlackHttp::refuse_unsigned(const ServerRequest& request) {
  const std::string problem =
      slack_signature_problem(options_.signing_secret, request["X-Slack-Request-Timestamp"],
                              request["X-Slack-Signature"], request.body(), options_.clock());
  if (problem.empty()) return std::nullopt;
  refusals_.refused(request, problem);
  return plain_response(http::status::unauthorized, "invalid request signature: " + problem + "\n");
}

void SlackHttp::commands(const ServerRequest& request, Responder respond) {
  const auto fields = parse_form(request.body());
  if (fields && field(*fields, "ssl_check") == "1") return respond(empty_ok());
  if (auto refusal = refuse_unsigned(request)) return respond(std::move(*refusal));
  if (!fields) return respond(bad_request("malformed form body"));
  inbound_.command({field(*fields, "channel_id"), field(*fields, "user_id"), field(*fields, "text"),
                    field(*fields, "trigger_id")},
                   respond_with(std::move(respond)));
}

void SlackHttp::interactivity(const ServerRequest& request, Responder respond) {
  if (auto refusal = refuse_unsigned(request)) return respond(std::move(*refusal));
  const auto fields = parse_form(request.body());
  if (!fields || !fields->contains("payload")) return respond(bad_request("expected a form with a payload field"));
  boost::system::error_code ec;
  const json::value payload = json::parse(field(*fields, "payload"), ec);
  if (ec || !payload.is_object()) return respond(bad_request("payload is not a JSON object"));
  inbound_.interaction(payload.as_object(), respond_with(std::move(respond)));
}

void SlackHttp::events(const ServerRequest& request, Responder respond) {
  if (auto refusal = refuse_unsigned(request)) return respond(std::move(*refusal));
  boost::system::error_code ec;
  const json::value body = json::parse(request.body(), ec);
  if (ec || !body.is_object()) return respond(bad_request("body is not a JSON object"));
  if (json_string_at(body.as_object(), {"type"}) == "url_verification")
    return respond(plain_response(http::status::ok, json_string_at(body.as_object(), {"challenge"})));
  inbound_.event(body.as_object(), respond_with(std::move(respond)));
}

}  // namespace incident_bot::bot
