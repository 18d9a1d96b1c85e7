#pragma once
// What a chat Web API answer (Slack's or Mattermost's, classified by the retrier) means for the
// delivery engine: one mapping for every translator.
#include "bot/core/chat.hpp"
#include "bot/net/web_api.hpp"

namespace incident_bot::bot {

inline ChatAnswer chat_answer(const ApiResult& result, std::string value = {}) {
  using Status = ChatAnswer::Status;
  if (result.succeeded()) return ChatAnswer::done(std::move(value));
  ChatAnswer answer{Status::failed, {}, result.error, 0, false};
  switch (result.disposition) {
    case Disposition::retry: answer.status = result.outcome_unknown ? Status::unknown : Status::retry; break;
    case Disposition::join_channel: answer.status = Status::retry; break;
    case Disposition::rate_limited:
      answer.status = Status::rate_limited;
      answer.retry_after = result.retry_after.count();
      break;
    case Disposition::rename: answer.status = Status::name_taken; break;
    case Disposition::post_new: answer.status = Status::gone; break;
    default: break;  // give_up, fatal_auth: a scope, a permission or a token a person must fix
  }
  return answer;
}

}  // namespace incident_bot::bot
