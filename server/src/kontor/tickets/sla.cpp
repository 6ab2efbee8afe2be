#include "kontor/tickets/sla.hpp"

#include <cctz/civil_time.h>

#include <algorithm>
#include <chrono>

namespace kontor::tickets {
namespace {

constexpr std::array<const char*, 7> kDayNames = {"monday", "tuesday",  "wednesday", "thursday",
                                                  "friday", "saturday", "sunday"};
constexpr int kMinutesPerDay = 24 * 60;
constexpr std::size_t kMaxRangesPerDay = 8;
constexpr std::size_t kMaxHolidays = 1000;
constexpr int kHorizonDays = 20 * 366;
constexpr std::int64_t kDayMs = 86'400'000;
const cctz::civil_day kEpoch(1970, 1, 1);

using Seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::int64_t ms_of(const Seconds& tp) { return tp.time_since_epoch().count() * 1000; }

// "HH:MM" → minutes; "24:00" only as an end.
std::optional<int> parse_clock(const std::string& s, bool end) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4})
        if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9')
            return std::nullopt;
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59) return std::nullopt;
    if (h == 24 && m == 0 && end) return kMinutesPerDay;
    if (h > 23) return std::nullopt;
    return h * 60 + m;
}

std::string format_clock(int minutes) {
    char buf[6];
    const int h = minutes / 60, m = minutes % 60;
    buf[0] = static_cast<char>('0' + h / 10);
    buf[1] = static_cast<char>('0' + h % 10);
    buf[2] = ':';
    buf[3] = static_cast<char>('0' + m / 10);
    buf[4] = static_cast<char>('0' + m % 10);
    buf[5] = '\0';
    return buf;
}

// "YYYY-MM-DD" that names a real date (cctz normalises 2026-02-30 to March; that is refused).
std::optional<cctz::civil_day> parse_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p) {
        for (std::size_t i = 0; i < lens[p]; ++i) {
            const char c = s[starts[p] + i];
            if (c < '0' || c > '9') return std::nullopt;
            parts[p] = parts[p] * 10 + (c - '0');
        }
    }
    const cctz::civil_day day(parts[0], parts[1], parts[2]);
    if (day.year() != parts[0] || day.month() != parts[1] || day.day() != parts[2])
        return std::nullopt;
    return day;
}

core::Error invalid(std::vector<core::FieldError> errors) {
    return core::Error::invalid(std::move(errors), "The business hours are invalid.");
}

// Sorted, inside the day, not overlapping.
std::optional<std::string> ranges_problem(const std::vector<TimeRange>& ranges) {
    if (ranges.size() > kMaxRangesPerDay)
        return "at most " + std::to_string(kMaxRangesPerDay) + " ranges a day";
    int previous_end = 0;
    for (const auto& r : ranges) {
        if (r.from < 0 || r.to > kMinutesPerDay || r.from >= r.to)
            return "each range must end after it starts, within the day";
        if (r.from < previous_end) return "ranges must be in order and must not overlap";
        previous_end = r.to;
    }
    return std::nullopt;
}

}  // namespace

BusinessHours BusinessHours::always(std::string time_zone) {
    BusinessHours h;
    h.time_zone = std::move(time_zone);
    for (auto& day : h.week) day = {{0, kMinutesPerDay}};
    return h;
}

BusinessHours BusinessHours::office(std::string time_zone) {
    BusinessHours h;
    h.time_zone = std::move(time_zone);
    for (int d = 0; d < 5; ++d) h.week[static_cast<std::size_t>(d)] = {{8 * 60, 18 * 60}};
    return h;
}

core::Result<BusinessHours> BusinessHours::from_json(const nlohmann::json& j,
                                                     const std::string& at) {
    std::vector<core::FieldError> errors;
    BusinessHours h;
    if (!j.is_object()) return core::fail(invalid({{at.empty() ? "/" : at, "must be an object"}}));
    for (const auto& [key, value] : j.items()) {
        if (key != "time_zone" && key != "week" && key != "holidays")
            errors.push_back({at + "/" + key, "is not a business-hours field"});
    }
    if (auto tz = j.find("time_zone"); tz != j.end()) {
        if (!tz->is_string()) {
            errors.push_back({at + "/time_zone", "must be an IANA time zone name"});
        } else {
            h.time_zone = tz->get<std::string>();
            cctz::time_zone zone;
            if (h.time_zone.empty() || !cctz::load_time_zone(h.time_zone, &zone))
                errors.push_back({at + "/time_zone", "is not a known time zone"});
        }
    }
    if (auto week = j.find("week"); week != j.end()) {
        if (!week->is_object()) {
            errors.push_back({at + "/week", "must map weekdays to lists of ranges"});
        } else {
            for (const auto& [day, ranges] : week->items()) {
                const auto name = std::find(kDayNames.begin(), kDayNames.end(), day);
                const std::string day_at = at + "/week/" + day;
                if (name == kDayNames.end()) {
                    errors.push_back({day_at, "is not a weekday (monday … sunday)"});
                    continue;
                }
                if (!ranges.is_array()) {
                    errors.push_back({day_at, "must be a list of {from, to}"});
                    continue;
                }
                std::vector<TimeRange> parsed;
                for (std::size_t i = 0; i < ranges.size(); ++i) {
                    const auto& r = ranges[i];
                    const std::string r_at = day_at + "/" + std::to_string(i);
                    const auto from = r.is_object() && r.contains("from") && r["from"].is_string()
                                          ? parse_clock(r["from"].get<std::string>(), false)
                                          : std::nullopt;
                    const auto to = r.is_object() && r.contains("to") && r["to"].is_string()
                                        ? parse_clock(r["to"].get<std::string>(), true)
                                        : std::nullopt;
                    if (!from || !to) {
                        errors.push_back(
                            {r_at,
                             "must be {\"from\": \"HH:MM\", \"to\": \"HH:MM\"} (to ≤ 24:00)"});
                        continue;
                    }
                    parsed.push_back({*from, *to});
                }
                if (auto problem = ranges_problem(parsed)) errors.push_back({day_at, *problem});
                h.week[static_cast<std::size_t>(name - kDayNames.begin())] = std::move(parsed);
            }
        }
    }
    if (auto holidays = j.find("holidays"); holidays != j.end()) {
        if (!holidays->is_array() || holidays->size() > kMaxHolidays) {
            errors.push_back({at + "/holidays", "must be a list of at most " +
                                                    std::to_string(kMaxHolidays) +
                                                    " dates (YYYY-MM-DD)"});
        } else {
            for (std::size_t i = 0; i < holidays->size(); ++i) {
                const auto& d = (*holidays)[i];
                if (!d.is_string() || !parse_date(d.get<std::string>())) {
                    errors.push_back(
                        {at + "/holidays/" + std::to_string(i), "must be a date like 2026-12-25"});
                    continue;
                }
                h.holidays.push_back(d.get<std::string>());
            }
            std::sort(h.holidays.begin(), h.holidays.end());
            h.holidays.erase(std::unique(h.holidays.begin(), h.holidays.end()), h.holidays.end());
        }
    }
    if (errors.empty() &&
        std::all_of(h.week.begin(), h.week.end(), [](const auto& d) { return d.empty(); }))
        errors.push_back({at + "/week", "must have working time on at least one day"});
    if (!errors.empty()) return core::fail(invalid(std::move(errors)));
    return h;
}

nlohmann::json BusinessHours::to_json() const {
    nlohmann::json days = nlohmann::json::object();
    for (std::size_t d = 0; d < 7; ++d) {
        nlohmann::json ranges = nlohmann::json::array();
        for (const auto& r : week[d])
            ranges.push_back({{"from", format_clock(r.from)}, {"to", format_clock(r.to)}});
        days[kDayNames[d]] = std::move(ranges);
    }
    return {{"time_zone", time_zone}, {"week", std::move(days)}, {"holidays", holidays}};
}

core::Result<BusinessClock> BusinessClock::make(const BusinessHours& hours) {
    std::vector<core::FieldError> errors;
    BusinessClock clock;
    if (!cctz::load_time_zone(hours.time_zone, &clock.zone_))
        errors.push_back({"/time_zone", "is not a known time zone"});
    bool any = false;
    for (std::size_t d = 0; d < 7; ++d) {
        if (auto problem = ranges_problem(hours.week[d]))
            errors.push_back({std::string("/week/") + kDayNames[d], *problem});
        any = any || !hours.week[d].empty();
    }
    if (!any) errors.push_back({"/week", "must have working time on at least one day"});
    for (const auto& h : hours.holidays) {
        const auto day = parse_date(h);
        if (!day) {
            errors.push_back({"/holidays", "must be dates like 2026-12-25"});
            break;
        }
        clock.holidays_.insert(*day - kEpoch);
    }
    if (!errors.empty()) return core::fail(invalid(std::move(errors)));
    clock.hours_ = hours;
    return clock;
}

template <class Fn>
void BusinessClock::each_interval(std::int64_t from_ms, Fn&& fn) const {
    const Seconds from_s{std::chrono::seconds(floor_div(from_ms, 1000))};
    // Ranges end by local midnight, so none of an earlier day reaches from_ms's day.
    cctz::civil_day day(cctz::convert(from_s, zone_));
    for (int i = 0; i < kHorizonDays; ++i, ++day) {
        if (holidays_.contains(day - kEpoch)) continue;
        const auto& ranges = hours_.week[static_cast<std::size_t>(cctz::get_weekday(day))];
        const cctz::civil_second midnight(day);
        for (const auto& r : ranges) {
            const std::int64_t start = ms_of(cctz::convert(midnight + r.from * 60, zone_));
            const std::int64_t end = ms_of(cctz::convert(midnight + r.to * 60, zone_));
            if (end <= from_ms || end <= start) continue;
            if (!fn(std::max(start, from_ms), end)) return;
        }
    }
}

std::int64_t BusinessClock::add(std::int64_t from_ms, std::int64_t budget_ms) const {
    if (budget_ms <= 0) return from_ms;
    std::int64_t left = budget_ms;
    std::int64_t due = from_ms + kHorizonDays * kDayMs;
    each_interval(from_ms, [&](std::int64_t start, std::int64_t end) {
        if (end - start >= left) {
            due = start + left;
            return false;
        }
        left -= end - start;
        return true;
    });
    return due;
}

std::int64_t BusinessClock::between(std::int64_t from_ms, std::int64_t to_ms) const {
    if (to_ms <= from_ms) return 0;
    std::int64_t total = 0;
    each_interval(from_ms, [&](std::int64_t start, std::int64_t end) {
        if (start >= to_ms) return false;
        total += std::min(end, to_ms) - start;
        return true;
    });
    return total;
}

}  // namespace kontor::tickets
