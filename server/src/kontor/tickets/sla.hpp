#pragma once
// The SLA clock: working time by a calendar of business hours in a time zone, with holidays.
// Pure (no store, no current time): every function takes the instants it works on, so the rules
// are tested exhaustively in sla_test.cpp — weekends, holidays, time zones, DST changes, pauses.
//
// Working time is real elapsed time inside the working ranges. Ranges are local wall-clock times
// of a weekday ("09:00"–"17:00"); on a day when the clocks change, a range that spans the change
// is as long as the clocks say (01:00–04:00 is two hours when spring skips 02:00–03:00, four when
// autumn repeats it). Local times that do not exist are read with the offset before the change
// (cctz's "pre" rule), so the mapping never goes backwards.
#include <cctz/time_zone.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kontor/core/error.hpp"

namespace kontor::tickets {

// Minutes after local midnight: 0 ≤ from < to ≤ 1440.
struct TimeRange {
    int from = 0;
    int to = 0;
};

struct BusinessHours {
    std::string time_zone = "UTC";               // IANA name, e.g. "Europe/Berlin"
    std::array<std::vector<TimeRange>, 7> week;  // Monday first; ranges sorted, not overlapping
    std::vector<std::string> holidays;           // local dates "YYYY-MM-DD": no working time

    // Around the clock, every day (the default when a tenant has set nothing).
    static BusinessHours always(std::string time_zone = "UTC");
    // Monday to Friday, 08:00–18:00.
    static BusinessHours office(std::string time_zone);

    // {"time_zone", "week": {"monday": [{"from": "09:00", "to": "17:00"}], …}, "holidays": […]}.
    // A missing weekday has no working time. Errors name the field under `at` (a JSON pointer).
    static core::Result<BusinessHours> from_json(const nlohmann::json& j, const std::string& at);
    nlohmann::json to_json() const;
};

class BusinessClock {
public:
    // Errors: validation_failed (unknown time zone, no working time in the week, bad ranges or
    // holidays).
    static core::Result<BusinessClock> make(const BusinessHours& hours);

    // The instant (epoch ms) at which `budget_ms` of working time, counted from `from_ms`, is used
    // up. A budget of 0 (or less) is used up at once: `from_ms`. Searches at most 20 years ahead
    // and answers that horizon when the calendar has no time left (e.g. a year of holidays).
    std::int64_t add(std::int64_t from_ms, std::int64_t budget_ms) const;
    // Working time inside [from_ms, to_ms); 0 when to_ms ≤ from_ms.
    std::int64_t between(std::int64_t from_ms, std::int64_t to_ms) const;

    const BusinessHours& hours() const noexcept { return hours_; }

private:
    BusinessClock() = default;
    // Calls fn(start_ms, end_ms) for each working interval that ends after from_ms, in order,
    // until fn returns false or the horizon is reached.
    template <class Fn>
    void each_interval(std::int64_t from_ms, Fn&& fn) const;

    BusinessHours hours_;
    std::set<std::int64_t> holidays_;  // civil days since 1970-01-01
    cctz::time_zone zone_;
};

// Response and resolution targets of one priority, in working minutes.
struct SlaTarget {
    int response_minutes = 0;
    int resolution_minutes = 0;
};

}  // namespace kontor::tickets
