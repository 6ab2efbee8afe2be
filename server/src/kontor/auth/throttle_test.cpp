#include "kontor/auth/throttle.hpp"

#include <gtest/gtest.h>

namespace kontor::auth {
namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;
constexpr std::int64_t kMinute = 60'000;

// A throttle on a clock the test moves by hand (no sleeps).
class ThrottleTest : public ::testing::Test {
protected:
    LoginThrottle make(ThrottlePolicy policy = {}) {
        return LoginThrottle(policy, [this] { return now_; });
    }
    void advance(std::int64_t ms) { now_ += ms; }
    std::int64_t now_ = kStart;
};

TEST_F(ThrottleTest, NothingLockedAtFirst) {
    auto t = make();
    EXPECT_FALSE(t.locked_for("10.0.0.1", "a@x.example"));
    const auto f = t.record_failure("10.0.0.1", "a@x.example");
    EXPECT_FALSE(f.ip_locked);
    EXPECT_FALSE(f.account_locked);
    EXPECT_FALSE(t.locked_for("10.0.0.1", "a@x.example"));
}

TEST_F(ThrottleTest, TenFailuresFromOneAddressLockTheAddress) {
    auto t = make();
    for (int i = 0; i < 9; ++i) {
        const auto f = t.record_failure("10.0.0.1", "user" + std::to_string(i) + "@x.example");
        EXPECT_FALSE(f.ip_locked) << i;
        EXPECT_FALSE(f.account_locked) << i;
        advance(1000);
    }
    EXPECT_FALSE(t.locked_for("10.0.0.1", "someone@x.example"));
    const auto tenth = t.record_failure("10.0.0.1", "user9@x.example");
    EXPECT_TRUE(tenth.ip_locked);
    EXPECT_FALSE(tenth.account_locked);  // each account failed only once
    EXPECT_EQ(t.locked_for("10.0.0.1", "anyone@x.example"), 15 * 60);
    EXPECT_FALSE(t.locked_for("10.0.0.2", "anyone@x.example"));  // other addresses go ahead
    EXPECT_FALSE(t.locked_for("10.0.0.2", "user0@x.example"));
    // Only the failure that starts the lock reports it.
    EXPECT_FALSE(t.record_failure("10.0.0.1", "user10@x.example").ip_locked);
}

TEST_F(ThrottleTest, FiveFailuresOnOneAccountLockItFromAnyAddress) {
    auto t = make();
    for (int i = 0; i < 4; ++i) {
        EXPECT_FALSE(
            t.record_failure("10.0.1." + std::to_string(i), "mia@x.example").account_locked);
        advance(10);
    }
    const auto fifth = t.record_failure("10.0.1.4", "mia@x.example");
    EXPECT_TRUE(fifth.account_locked);
    EXPECT_FALSE(fifth.ip_locked);
    for (const char* ip : {"10.0.1.0", "10.0.1.4", "192.168.7.7", "2001:db8::1"})
        EXPECT_EQ(t.locked_for(ip, "mia@x.example"), 15 * 60) << ip;
    EXPECT_FALSE(t.locked_for("10.0.1.0", "other@x.example"));
}

TEST_F(ThrottleTest, RightPasswordDuringLockIsStillRefused) {
    auto t = make();
    for (int i = 0; i < 10; ++i) t.record_failure("10.0.0.1", "u" + std::to_string(i));
    ASSERT_TRUE(t.locked_for("10.0.0.1", "mia@x.example"));
    // A valid sign-in elsewhere (or a raced one) resets no address budget.
    t.record_success("mia@x.example");
    t.record_success("u0");
    EXPECT_EQ(t.locked_for("10.0.0.1", "mia@x.example"), 15 * 60);

    // A locked account stays locked even if a success is recorded for it.
    for (int i = 0; i < 5; ++i) t.record_failure("10.9.9." + std::to_string(i), "ben@x.example");
    ASSERT_TRUE(t.locked_for("10.1.1.1", "ben@x.example"));
    t.record_success("ben@x.example");
    EXPECT_EQ(t.locked_for("10.1.1.1", "ben@x.example"), 15 * 60);
}

TEST_F(ThrottleTest, SuccessClearsOnlyTheAccountCount) {
    auto t = make();
    // 4 account failures and 9 address failures.
    for (int i = 0; i < 4; ++i) t.record_failure("10.0.0.1", "mia@x.example");
    for (int i = 0; i < 5; ++i) t.record_failure("10.0.0.1", "x" + std::to_string(i));
    t.record_success("mia@x.example");
    // The account starts over: four more failures do not lock it ...
    for (int i = 0; i < 4; ++i)
        EXPECT_FALSE(
            t.record_failure("10.0.0." + std::to_string(i + 2), "mia@x.example").account_locked);
    EXPECT_TRUE(t.record_failure("10.0.0.9", "mia@x.example").account_locked);
    // ... but the address kept its nine: the tenth locks it.
    EXPECT_TRUE(t.record_failure("10.0.0.1", "y@x.example").ip_locked);
}

TEST_F(ThrottleTest, FailuresOutsideTheWindowDoNotCount) {
    auto t = make();
    for (int i = 0; i < 4; ++i) t.record_failure("10.0.0.1", "mia@x.example");
    advance(15 * kMinute);  // the window (from the first failure) has passed
    for (int i = 0; i < 4; ++i)
        EXPECT_FALSE(t.record_failure("10.0.0.1", "mia@x.example").account_locked) << i;
    EXPECT_FALSE(t.locked_for("10.0.0.1", "mia@x.example"));
    EXPECT_TRUE(t.record_failure("10.0.0.1", "mia@x.example").account_locked);
    // The address saw 9 failures, but the first four fell out of its window too.
    EXPECT_FALSE(t.locked_for("10.0.0.1", "other@x.example"));
}

TEST_F(ThrottleTest, WindowStartsAtTheFirstFailure) {
    auto t = make();
    t.record_failure("10.0.0.1", "mia@x.example");
    advance(15 * kMinute - 1);  // still inside
    for (int i = 0; i < 3; ++i) t.record_failure("10.0.0.1", "mia@x.example");
    EXPECT_TRUE(t.record_failure("10.0.0.1", "mia@x.example").account_locked);
}

TEST_F(ThrottleTest, LockExpiresAndCountingStartsFresh) {
    auto t = make();
    for (int i = 0; i < 5; ++i) t.record_failure("10.0.0.1", "mia@x.example");
    EXPECT_EQ(t.locked_for("10.0.0.2", "mia@x.example"), 900);
    advance(1);
    EXPECT_EQ(t.locked_for("10.0.0.2", "mia@x.example"), 900);  // 899.999 s, rounded up
    advance(1000);
    EXPECT_EQ(t.locked_for("10.0.0.2", "mia@x.example"), 899);
    advance(15 * kMinute - 1002);
    EXPECT_EQ(t.locked_for("10.0.0.2", "mia@x.example"), 1);  // 1 ms left: still ≥ 1
    advance(1);
    EXPECT_FALSE(t.locked_for("10.0.0.2", "mia@x.example"));
    // A single failure after the lock does not lock again: the count restarted.
    EXPECT_FALSE(t.record_failure("10.0.0.2", "mia@x.example").account_locked);
    EXPECT_FALSE(t.locked_for("10.0.0.2", "mia@x.example"));
    for (int i = 0; i < 3; ++i) t.record_failure("10.0.0.2", "mia@x.example");
    EXPECT_TRUE(t.record_failure("10.0.0.2", "mia@x.example").account_locked);
}

TEST_F(ThrottleTest, FailuresDuringALockDoNotExtendIt) {
    auto t = make();
    for (int i = 0; i < 5; ++i) t.record_failure("10.0.0.1", "mia@x.example");
    advance(10 * kMinute);
    EXPECT_FALSE(t.record_failure("10.0.0.3", "mia@x.example").account_locked);
    EXPECT_EQ(t.locked_for("10.0.0.3", "mia@x.example"), 5 * 60);
}

TEST_F(ThrottleTest, ReportsTheLongerOfTwoLocks) {
    auto t = make({.max_failures_per_ip = 3,
                   .max_failures_per_account = 2,
                   .window_ms = 15 * kMinute,
                   .lock_ms = 10 * kMinute,
                   .max_entries = 100});
    t.record_failure("10.0.0.1", "mia@x.example");
    const auto f = t.record_failure("10.0.0.1", "mia@x.example");
    EXPECT_TRUE(f.account_locked);
    EXPECT_FALSE(f.ip_locked);
    advance(kMinute);
    EXPECT_TRUE(t.record_failure("10.0.0.1", "ben@x.example").ip_locked);
    EXPECT_EQ(t.locked_for("10.0.0.1", "mia@x.example"), 10 * 60);  // the address lock is later
    EXPECT_EQ(t.locked_for("10.0.0.2", "mia@x.example"), 9 * 60);
    EXPECT_EQ(t.locked_for("10.0.0.1", "ben@x.example"), 10 * 60);
}

TEST_F(ThrottleTest, EntriesAreBounded) {
    auto t = make({.max_failures_per_ip = 1000,
                   .max_failures_per_account = 2,
                   .window_ms = 15 * kMinute,
                   .lock_ms = 15 * kMinute,
                   .max_entries = 10});
    // One failure on "old", then many other accounts: "old" is the stalest and is forgotten.
    t.record_failure("10.0.0.1", "old@x.example");
    for (int i = 0; i < 1000; ++i) {
        advance(1);
        t.record_failure("10.0.0.1", "spray" + std::to_string(i));
    }
    EXPECT_FALSE(t.record_failure("10.0.0.1", "old@x.example").account_locked);
    // Recently seen accounts are remembered: their second failure locks them.
    advance(1);
    EXPECT_TRUE(t.record_failure("10.0.0.1", "spray999").account_locked);
    EXPECT_TRUE(t.locked_for("10.0.0.9", "spray999"));
}

TEST_F(ThrottleTest, ExpiredEntriesArePrunedBeforeLiveOnes) {
    auto t = make({.max_failures_per_ip = 1000,
                   .max_failures_per_account = 2,
                   .window_ms = 60 * kMinute,
                   .lock_ms = kMinute,
                   .max_entries = 4});
    // "live" is the stalest entry but still inside its window; x, y and z are seen later and
    // locked briefly.
    t.record_failure("10.0.0.1", "live@x.example");
    advance(1);
    for (const char* a : {"x", "y", "z"}) {
        t.record_failure("10.0.0.1", a);
        EXPECT_TRUE(t.record_failure("10.0.0.1", a).account_locked);
    }
    advance(2 * kMinute);  // the locks have ended: those entries now mean nothing
    // The map is full; room comes from the dead entries, not from the stalest live one.
    t.record_failure("10.0.0.1", "new@x.example");
    EXPECT_TRUE(t.record_failure("10.0.0.1", "live@x.example").account_locked);
}

TEST_F(ThrottleTest, DefaultClockWorks) {
    LoginThrottle t;
    for (int i = 0; i < 5; ++i) t.record_failure("10.0.0.1", "mia@x.example");
    const auto left = t.locked_for("10.0.0.2", "mia@x.example");
    ASSERT_TRUE(left);
    EXPECT_GE(*left, 899);
    EXPECT_LE(*left, 900);
}

}  // namespace
}  // namespace kontor::auth
