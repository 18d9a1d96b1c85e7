#pragma once
// What one row's attempt came to, and how a chat's answer maps onto it.
#include "bot/core/delivery.hpp"

namespace incident_bot::bot {

struct DeliveryEngine::Verdict {
  enum class Kind { delivered, retry, failed };
  Kind kind = Kind::retry;
  std::string value;         // delivered: the message ref; from destination(): the channel id
  std::string error;
  Timestamp not_before = 0;  // retry: not before this (a rate limit's wait)
  bool in_doubt = false;     // retry: the call may have taken effect

  static Verdict delivered(std::string value = {}) { return {Kind::delivered, std::move(value), {}, 0, false}; }
  static Verdict retry_later(std::string error) { return {Kind::retry, {}, std::move(error), 0, false}; }
  static Verdict failed(std::string error) { return {Kind::failed, {}, std::move(error), 0, false}; }

  // Every chat answer maps to exactly one verdict.
  static Verdict of(const ChatAnswer& answer, Timestamp now) {
    switch (answer.status) {
      case ChatAnswer::Status::done: return delivered(answer.value);
      case ChatAnswer::Status::retry: return retry_later(answer.error);
      case ChatAnswer::Status::rate_limited: {
        Verdict verdict = retry_later(answer.error.empty() ? "ratelimited" : answer.error);
        verdict.not_before = now + std::max<Seconds>(answer.retry_after, 1);
        return verdict;
      }
      case ChatAnswer::Status::unknown: {
        Verdict verdict = retry_later(answer.error.empty() ? "no answer" : answer.error);
        verdict.in_doubt = true;
        return verdict;
      }
      case ChatAnswer::Status::failed:
      case ChatAnswer::Status::name_taken:
      case ChatAnswer::Status::gone: return failed(answer.error);
    }
    return failed(answer.error);
  }
};

}  // namespace incident_bot::bot
