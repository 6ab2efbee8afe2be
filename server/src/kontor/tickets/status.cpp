#include "kontor/tickets/status.hpp"

#include <algorithm>
#include <utility>

namespace kontor::tickets {
namespace {

constexpr std::array<std::string_view, 6> kStatusNames = {
    "new", "assigned", "in_progress", "waiting_customer", "resolved", "closed"};
constexpr std::array<std::string_view, 4> kPriorityNames = {"low", "medium", "high", "critical"};

using S = Status;
// The workflow. Back to new = unassigned again. Closed is final; resolved may be reopened
// (in_progress) or closed.
constexpr std::array<std::pair<Status, Status>, 22> kTransitions{{
    {S::kNew, S::kAssigned},
    {S::kNew, S::kInProgress},
    {S::kNew, S::kWaitingCustomer},
    {S::kNew, S::kResolved},
    {S::kNew, S::kClosed},
    {S::kAssigned, S::kNew},
    {S::kAssigned, S::kInProgress},
    {S::kAssigned, S::kWaitingCustomer},
    {S::kAssigned, S::kResolved},
    {S::kAssigned, S::kClosed},
    {S::kInProgress, S::kNew},
    {S::kInProgress, S::kAssigned},
    {S::kInProgress, S::kWaitingCustomer},
    {S::kInProgress, S::kResolved},
    {S::kInProgress, S::kClosed},
    {S::kWaitingCustomer, S::kNew},
    {S::kWaitingCustomer, S::kAssigned},
    {S::kWaitingCustomer, S::kInProgress},
    {S::kWaitingCustomer, S::kResolved},
    {S::kWaitingCustomer, S::kClosed},
    {S::kResolved, S::kInProgress},
    {S::kResolved, S::kClosed},
}};

}  // namespace

std::string_view name(Status s) noexcept { return kStatusNames[static_cast<std::size_t>(s)]; }
std::string_view name(Priority p) noexcept { return kPriorityNames[static_cast<std::size_t>(p)]; }

std::optional<Status> parse_status(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kStatusNames.size(); ++i)
        if (kStatusNames[i] == s) return static_cast<Status>(i);
    return std::nullopt;
}

std::optional<Priority> parse_priority(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kPriorityNames.size(); ++i)
        if (kPriorityNames[i] == s) return static_cast<Priority>(i);
    return std::nullopt;
}

bool transition_allowed(Status from, Status to) noexcept {
    return std::find(kTransitions.begin(), kTransitions.end(), std::pair{from, to}) !=
           kTransitions.end();
}

bool customer_may_transition(Status from, Status to) noexcept {
    if (!transition_allowed(from, to)) return false;
    return to == Status::kClosed || (from == Status::kResolved && to == Status::kInProgress);
}

bool is_open(Status s) noexcept { return s != Status::kResolved && s != Status::kClosed; }

}  // namespace kontor::tickets
