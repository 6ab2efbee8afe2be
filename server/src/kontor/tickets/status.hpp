#pragma once
// Ticket statuses and priorities, and the one table of allowed status changes.
//
//   new ──► assigned ──► in_progress ──► waiting_customer ──► resolved ──► closed
//
// (the full table is kTransitions in status.cpp and docs/domain/tickets.md). Staff may make any
// allowed change; customer users may only close their own ticket or reopen a resolved one.
// `waiting_customer` pauses the SLA clock.
#include <array>
#include <optional>
#include <string_view>

namespace kontor::tickets {

enum class Status { kNew, kAssigned, kInProgress, kWaitingCustomer, kResolved, kClosed };
enum class Priority { kLow, kMedium, kHigh, kCritical };

inline constexpr std::array kStatuses{Status::kNew,        Status::kAssigned,
                                      Status::kInProgress, Status::kWaitingCustomer,
                                      Status::kResolved,   Status::kClosed};
inline constexpr std::array kPriorities{Priority::kLow, Priority::kMedium, Priority::kHigh,
                                        Priority::kCritical};

std::string_view name(Status s) noexcept;
std::string_view name(Priority p) noexcept;
std::optional<Status> parse_status(std::string_view s) noexcept;
std::optional<Priority> parse_priority(std::string_view s) noexcept;
// 0 (low) … 3 (critical): the order used for sorting.
inline int rank(Priority p) noexcept { return static_cast<int>(p); }

// Whether `from` → `to` is a change the workflow allows (a status to itself is not a change).
bool transition_allowed(Status from, Status to) noexcept;
// The subset customer users may make: close, or reopen what was resolved.
bool customer_may_transition(Status from, Status to) noexcept;
// Open: counts for workload (auto-assignment) and for SLA breaches.
bool is_open(Status s) noexcept;

}  // namespace kontor::tickets
