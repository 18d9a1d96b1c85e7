#pragma once
// The bot's inbound half on an in-memory store, with a loop-less group commit: a fuzz input goes through the
// same calls a request would (receiver -> inbound -> dispatcher -> store), no socket opened.
#include "bot/mattermost/command_receiver.hpp"
#include "bot/slack/http_receiver.hpp"
#include "bot/slack/inbound.hpp"
#include "store/store.hpp"

#include <boost/json/object.hpp>
#include <spdlog/sinks/null_sink.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace incident_bot::fuzz {

inline constexpr Timestamp fuzz_now = 1'795'000'000;
inline constexpr std::string_view slack_secret = "8f742231b10e8888abcd99yyyzzz85a5";
inline constexpr std::string_view mattermost_token = "mm-command-token-for-fuzzing";

struct FuzzBot {
  store::Connection db = store::open(":memory:");
  std::shared_ptr<spdlog::logger> logger =
      std::make_shared<spdlog::logger>("fuzz", std::make_shared<spdlog::sinks::null_sink_mt>());
  bot::Dispatcher slack_dispatcher{db, workflows::Policy{}, bot::slack_platform(true), logger};
  bot::Dispatcher mattermost_dispatcher{db, workflows::Policy{}, bot::mattermost_platform(true), logger};
  bot::GroupCommit commits{db, logger};  // no loop: each command commits before its answer
  bot::SlackInbound slack_inbound{slack_dispatcher, db, commits,
                                  bot::SlackInboundOptions{[] { return fuzz_now; }, [](std::string, boost::json::object) {},
                                                           [] {}},
                                  logger};
  bot::SlackHttp slack_http{slack_inbound, bot::SlackHttpOptions{std::string(slack_secret), [] { return fuzz_now; }},
                            logger};
  bot::MattermostHttp mattermost_http{
      mattermost_dispatcher, db, commits,
      bot::MattermostHttpOptions{std::string(mattermost_token), [] { return fuzz_now; }, [] {}}, logger};

  // An open incident, INC-1 in C0INC, so that buttons, modals and updates have something to act on.
  FuzzBot() { slack_dispatcher.handle({"C0INC", "U0ALICE", "declare Checkout down sev2 layer:conversion", "seed"}, fuzz_now); }

  // Every so many inputs the store starts afresh, so it does not grow without bound over a long run.
  static FuzzBot& shared() {
    static std::unique_ptr<FuzzBot> bot;
    static int inputs = 0;
    if (!bot || ++inputs % 512 == 0) {
      bot.reset();
      bot = std::make_unique<FuzzBot>();
    }
    return *bot;
  }
};

// Runs a receiver's deferred handler and returns what it answered (nullopt: it failed the request).
template <typename Handle>
std::optional<bot::ServerResponse> answer_of(Handle handle) {
  std::optional<bot::ServerResponse> answered;
  handle(bot::Responder([&](std::optional<bot::ServerResponse> response) { answered = std::move(response); }));
  return answered;
}

// The inbound answer, which the loop-less group commit gives before the call returns.
template <typename Call>
std::optional<bot::InboundAnswer> inbound_answer_of(Call call) {
  std::optional<bot::InboundAnswer> answered;
  call([&](bot::InboundAnswer answer) { answered = std::move(answer); });
  return answered;
}

}  // namespace incident_bot::fuzz
