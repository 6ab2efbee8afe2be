// The SLA clock against hand-computed calendars: office hours, weekends, holidays, time zones on
// both sides of UTC, both DST changes, pauses, and the edges (zero budget, reversed ranges).
#include "kontor/tickets/sla.hpp"

#include <cctz/civil_time.h>
#include <gtest/gtest.h>

#include <cstdio>

#include "kontor/core/clock.hpp"

namespace kontor::tickets {
namespace {

using nlohmann::json;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;

std::int64_t at(const char* rfc3339) {
    const auto ms = core::parse_rfc3339(rfc3339);
    EXPECT_TRUE(ms.has_value()) << rfc3339;
    return ms.value_or(0);
}
std::string show(std::int64_t ms) { return core::format_rfc3339(ms); }

BusinessClock clock_of(const BusinessHours& hours) {
    auto clock = BusinessClock::make(hours);
    EXPECT_TRUE(clock.has_value());
    return std::move(*clock);
}

// Monday to Friday 09:00–17:00 in Berlin; Christmas off.
BusinessHours berlin_office() {
    auto h = BusinessHours::from_json({{"time_zone", "Europe/Berlin"},
                                       {"week",
                                        {{"monday", {{{"from", "09:00"}, {"to", "17:00"}}}},
                                         {"tuesday", {{{"from", "09:00"}, {"to", "17:00"}}}},
                                         {"wednesday", {{{"from", "09:00"}, {"to", "17:00"}}}},
                                         {"thursday", {{{"from", "09:00"}, {"to", "17:00"}}}},
                                         {"friday", {{{"from", "09:00"}, {"to", "17:00"}}}}}},
                                       {"holidays", {"2026-12-24", "2026-12-25"}}},
                                      "");
    EXPECT_TRUE(h.has_value()) << (h ? "" : h.error().fields.front().message);
    return *h;
}

TEST(SlaClock, AroundTheClockIsPlainElapsedTime) {
    const auto clock = clock_of(BusinessHours::always());
    const auto t = at("2026-11-20T22:30:00Z");
    EXPECT_EQ(clock.add(t, 4 * kHour), t + 4 * kHour);
    EXPECT_EQ(clock.between(t, t + 50 * kHour), 50 * kHour);
    EXPECT_EQ(clock.add(t, 0), t);
    EXPECT_EQ(clock.add(t, -5), t);
    EXPECT_EQ(clock.between(t, t - kHour), 0);
    EXPECT_EQ(clock.add(t + 123, 1), t + 124);  // millisecond precision is kept
}

TEST(SlaClock, OfficeHoursSkipNightsAndWeekends) {
    const auto clock = clock_of(berlin_office());
    // Friday 20 November 2026, 16:00 in Berlin (CET, UTC+1) + 2 working hours:
    // one hour on Friday, one on Monday → Monday 10:00 CET.
    EXPECT_EQ(show(clock.add(at("2026-11-20T15:00:00Z"), 2 * kHour)), "2026-11-23T09:00:00.000Z");
    // Before opening: Monday 07:00 + 1 h → 10:00.
    EXPECT_EQ(show(clock.add(at("2026-11-23T06:00:00Z"), kHour)), "2026-11-23T09:00:00.000Z");
    // Saturday counts nothing; a whole working week is 40 hours.
    EXPECT_EQ(clock.between(at("2026-11-21T00:00:00Z"), at("2026-11-22T23:00:00Z")), 0);
    EXPECT_EQ(clock.between(at("2026-11-23T00:00:00Z"), at("2026-11-30T00:00:00Z")), 40 * kHour);
    // Exactly at closing time the budget is used up at closing, not at next opening.
    EXPECT_EQ(show(clock.add(at("2026-11-23T15:00:00Z"), kHour)), "2026-11-23T16:00:00.000Z");
}

TEST(SlaClock, HolidaysHaveNoWorkingTime) {
    const auto clock = clock_of(berlin_office());
    // Wednesday 23 December 2026 16:00 CET + 4 h: one hour that day, 24th and 25th are holidays,
    // the 26th and 27th a weekend → Monday 28th 12:00 CET.
    EXPECT_EQ(show(clock.add(at("2026-12-23T15:00:00Z"), 4 * kHour)), "2026-12-28T11:00:00.000Z");
    EXPECT_EQ(clock.between(at("2026-12-21T00:00:00Z"), at("2026-12-28T00:00:00Z")), 24 * kHour);
}

TEST(SlaClock, TimeZonesOnBothSidesOfUtc) {
    // The same office hours in Tokyo (UTC+9, no DST) and New York (UTC−5 in November).
    auto tokyo_hours = berlin_office();
    tokyo_hours.time_zone = "Asia/Tokyo";
    auto ny_hours = berlin_office();
    ny_hours.time_zone = "America/New_York";
    const auto tokyo = clock_of(tokyo_hours);
    const auto ny = clock_of(ny_hours);
    // 2026-11-23T00:00Z is Monday 09:00 in Tokyo and Sunday 19:00 in New York.
    const auto t = at("2026-11-23T00:00:00Z");
    EXPECT_EQ(show(tokyo.add(t, kHour)), "2026-11-23T01:00:00.000Z");
    EXPECT_EQ(show(ny.add(t, kHour)), "2026-11-23T15:00:00.000Z");  // Monday 10:00 EST
}

TEST(SlaClock, SpringForwardShortensTheRangeThatSpansIt) {
    // Sunday 29 March 2026: Berlin skips 02:00–03:00. Working time Sunday 01:00–04:00 local is
    // 01:00 CET (00:00Z) to 04:00 CEST (02:00Z): two real hours.
    auto h =
        BusinessHours::from_json({{"time_zone", "Europe/Berlin"},
                                  {"week", {{"sunday", {{{"from", "01:00"}, {"to", "04:00"}}}}}}},
                                 "");
    ASSERT_TRUE(h.has_value());
    const auto clock = clock_of(*h);
    EXPECT_EQ(clock.between(at("2026-03-28T12:00:00Z"), at("2026-03-30T00:00:00Z")), 2 * kHour);
    EXPECT_EQ(show(clock.add(at("2026-03-28T12:00:00Z"), 90 * kMinute)),
              "2026-03-29T01:30:00.000Z");  // 03:30 CEST
    // A week earlier the same range is three hours.
    EXPECT_EQ(clock.between(at("2026-03-21T12:00:00Z"), at("2026-03-23T00:00:00Z")), 3 * kHour);
}

TEST(SlaClock, FallBackLengthensTheRangeThatSpansIt) {
    // Sunday 25 October 2026: Berlin repeats 02:00–03:00. 01:00 CEST (23:00Z on the 24th) to
    // 04:00 CET (03:00Z): four real hours.
    auto h =
        BusinessHours::from_json({{"time_zone", "Europe/Berlin"},
                                  {"week", {{"sunday", {{{"from", "01:00"}, {"to", "04:00"}}}}}}},
                                 "");
    ASSERT_TRUE(h.has_value());
    const auto clock = clock_of(*h);
    EXPECT_EQ(clock.between(at("2026-10-24T12:00:00Z"), at("2026-10-26T00:00:00Z")), 4 * kHour);
    EXPECT_EQ(show(clock.add(at("2026-10-24T12:00:00Z"), 210 * kMinute)),
              "2026-10-25T02:30:00.000Z");  // 03:30 CET
}

TEST(SlaClock, DstChangeOutsideWorkingHoursChangesOnlyTheUtcOffset) {
    const auto clock = clock_of(berlin_office());
    // Friday 27 March 2026 16:00 CET + 2 h → Monday 30 March 10:00 CEST = 08:00Z.
    EXPECT_EQ(show(clock.add(at("2026-03-27T15:00:00Z"), 2 * kHour)), "2026-03-30T08:00:00.000Z");
}

TEST(SlaClock, PausingKeepsTheRemainingBudget) {
    // A ticket due Monday 10:00 CET is paused (waiting for the customer) on Friday at 16:00 and
    // resumed on Tuesday at 09:00: two working hours were left, so it is due Tuesday 11:00.
    const auto clock = clock_of(berlin_office());
    const auto due = at("2026-11-23T09:00:00Z");
    const auto paused = at("2026-11-20T15:00:00Z");
    const auto remaining = clock.between(paused, due);
    EXPECT_EQ(remaining, 2 * kHour);
    EXPECT_EQ(show(clock.add(at("2026-11-24T08:00:00Z"), remaining)), "2026-11-24T10:00:00.000Z");
    // Paused after the due time: nothing is left, and resuming makes it due at once.
    EXPECT_EQ(clock.between(at("2026-11-23T12:00:00Z"), due), 0);
}

TEST(SlaClock, AddAndBetweenAreInverse) {
    const auto clock = clock_of(berlin_office());
    const auto start = at("2026-11-18T13:17:00Z");
    for (std::int64_t budget : {kMinute, 3 * kHour, 8 * kHour, 37 * kHour, 400 * kHour}) {
        const auto due = clock.add(start, budget);
        EXPECT_EQ(clock.between(start, due), budget) << budget;
    }
}

TEST(SlaClock, LongHolidayRunsAreSkipped) {
    // Every day of 2026 and 2027 is a holiday (730 of them): the next working hour is in 2028.
    BusinessHours h = BusinessHours::office("UTC");
    for (cctz::civil_day d(2026, 1, 1); d < cctz::civil_day(2028, 1, 1); ++d) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()),
                      static_cast<int>(d.month()), static_cast<int>(d.day()));
        h.holidays.emplace_back(buf);
    }
    const auto clock = clock_of(h);
    // 1 January 2028 is a Saturday; Monday the 3rd opens at 08:00.
    EXPECT_EQ(show(clock.add(at("2026-03-01T00:00:00Z"), kHour)), "2028-01-03T09:00:00.000Z");
}

TEST(SlaClock, ACalendarWithoutTimeLeftAnswersTheHorizon) {
    // One working minute a week and a budget of 2,000 minutes: 38 years, past the 20-year horizon.
    auto h = BusinessHours::from_json(
        {{"week", {{"monday", {{{"from", "00:00"}, {"to", "00:01"}}}}}}}, "");
    ASSERT_TRUE(h.has_value());
    const auto clock = clock_of(*h);
    const auto t = at("2026-01-01T00:00:00Z");
    const auto due = clock.add(t, 2000 * kMinute);
    EXPECT_GT(due, t + 19LL * 365 * 24 * kHour);
    EXPECT_LT(due, t + 21LL * 366 * 24 * kHour);
}

TEST(SlaClock, BusinessHoursAreValidated) {
    struct Case {
        const char* what;
        json input;
        const char* field;
    };
    const std::vector<Case> cases = {
        {"not an object", json::array(), "/"},
        {"unknown key", {{"weekdays", json::object()}}, "/weekdays"},
        {"unknown zone", {{"time_zone", "Mars/Olympus"}}, "/time_zone"},
        {"zone not a string", {{"time_zone", 1}}, "/time_zone"},
        {"no working time", {{"week", json::object()}}, "/week"},
        {"bad weekday", {{"week", {{"funday", json::array()}}}}, "/week/funday"},
        {"bad clock",
         {{"week", {{"monday", {{{"from", "9:00"}, {"to", "17:00"}}}}}}},
         "/week/monday/0"},
        {"reversed",
         {{"week", {{"monday", {{{"from", "17:00"}, {"to", "09:00"}}}}}}},
         "/week/monday"},
        {"overlap",
         {{"week",
           {{"monday",
             {{{"from", "09:00"}, {"to", "13:00"}}, {{"from", "12:00"}, {"to", "17:00"}}}}}}},
         "/week/monday"},
        {"24:00 as a start",
         {{"week", {{"monday", {{{"from", "24:00"}, {"to", "24:00"}}}}}}},
         "/week/monday/0"},
        {"bad holiday", {{"holidays", {"2026-02-30"}}}, "/holidays/0"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        const auto h = BusinessHours::from_json(c.input, "");
        ASSERT_FALSE(h.has_value());
        bool named = false;
        for (const auto& f : h.error().fields) named |= f.field == c.field;
        EXPECT_TRUE(named) << h.error().fields.front().field;
    }
    // A whole day is 00:00–24:00, and the JSON form round-trips.
    const auto whole = BusinessHours::from_json(
        {{"time_zone", "UTC"}, {"week", {{"sunday", {{{"from", "00:00"}, {"to", "24:00"}}}}}}}, "");
    ASSERT_TRUE(whole.has_value());
    const auto again = BusinessHours::from_json(whole->to_json(), "");
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->to_json(), whole->to_json());
    EXPECT_EQ(berlin_office().to_json()["holidays"], json({"2026-12-24", "2026-12-25"}));
}

}  // namespace
}  // namespace kontor::tickets
