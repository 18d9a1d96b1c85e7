#include "fakes/http_caller.hpp"

#include "bot/net/form.hpp"
#include "bot/slack/signature.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cctype>

namespace incident_bot::fakes {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpAnswer http_call(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
                     const std::map<std::string, std::string>& headers) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));  // with the port, as HTTP clients send it
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  http::read(stream, buffer, parser);
  const auto& response = parser.get();
  HttpAnswer answer{static_cast<int>(response.result_int()), response.body(), {}};
  for (const auto& header : response) {
    std::string name(header.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    answer.headers[name] = std::string(header.value());
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  return answer;
}

HttpAnswer SlackSender::post(const std::string& target, const std::string& body, long long timestamp,
                             std::map<std::string, std::string> headers) const {
  const std::string stamp = std::to_string(timestamp);
  headers.emplace("X-Slack-Request-Timestamp", stamp);
  headers.emplace("X-Slack-Signature", bot::slack_signature(secret_, stamp, body));
  headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  return http_call(port_, "POST", target, body, headers);
}

HttpAnswer SlackSender::command(const std::string& text, long long timestamp, const std::string& channel,
                                const std::string& user, const std::string& trigger) const {
  static std::atomic<int> counter{0};
  const std::string trigger_id = trigger.empty() ? "1000." + std::to_string(++counter) + ".abc" : trigger;
  const std::string body = "token=deprecated&team_id=T0TEAM&team_domain=acme&channel_id=" + channel +
                           "&channel_name=general&user_id=" + user + "&user_name=someone&command=%2Fincident&text=" +
                           bot::percent_encode(text) + "&api_app_id=A0APP&is_enterprise_install=false" +
                           "&response_url=https%3A%2F%2Fhooks.slack.test%2Fcommands%2F1&trigger_id=" +
                           bot::percent_encode(trigger_id);
  return post("/slack/commands", body, timestamp);
}

HttpAnswer SlackSender::interaction(const std::string& payload_json, long long timestamp) const {
  return post("/slack/interactivity", "payload=" + bot::percent_encode(payload_json), timestamp);
}

std::string MattermostSender::form(const std::string& text, const std::string& channel, const std::string& user_id,
                                   const std::string& user_name, const std::map<std::string, std::string>& mentions) const {
  static std::atomic<int> counter{0};
  std::string body = "channel_id=" + bot::percent_encode(channel) + "&channel_name=town-square&command=%2Fincident" +
                     "&response_url=http%3A%2F%2F127.0.0.1%3A8065%2Fhooks%2Fcommands%2Fx&team_domain=acme" +
                     "&team_id=teamacme00000000000000001&text=" + bot::percent_encode(text) +
                     "&token=" + bot::percent_encode(token_) + "&trigger_id=mmtrigger" + std::to_string(++counter) +
                     "&user_id=" + bot::percent_encode(user_id) + "&user_name=" + bot::percent_encode(user_name);
  for (const auto& [name, id] : mentions)
    body += "&user_mentions=" + bot::percent_encode(name) + "&user_mentions_ids=" + bot::percent_encode(id);
  return body;
}

HttpAnswer MattermostSender::command(const std::string& text, const std::string& channel, const std::string& user_id,
                                     const std::string& user_name, const std::map<std::string, std::string>& mentions) const {
  return http_call(port_, "POST", "/mattermost/commands", form(text, channel, user_id, user_name, mentions),
                   {{"Authorization", "Token " + token_}, {"Content-Type", "application/x-www-form-urlencoded"},
                    {"Accept", "application/json"}});
}

HttpAnswer MattermostSender::command_by_get(const std::string& text, const std::string& channel,
                                            const std::string& user_id, const std::string& user_name) const {
  std::string query = form(text, channel, user_id, user_name);
  const auto token_at = query.find("&token=");
  query.erase(token_at, query.find('&', token_at + 1) - token_at);
  return http_call(port_, "GET", "/mattermost/commands?" + query, "", {{"Authorization", "Token " + token_}});
}

}  // namespace incident_bot::fakes
