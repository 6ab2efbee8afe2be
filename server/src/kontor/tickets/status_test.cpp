// The workflow table, stated once more here as a matrix a reader can check at a glance.
#include "kontor/tickets/status.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kontor::tickets {
namespace {

TEST(TicketStatus, NamesRoundTrip) {
    for (auto s : kStatuses) EXPECT_EQ(parse_status(name(s)), s);
    for (auto p : kPriorities) EXPECT_EQ(parse_priority(name(p)), p);
    EXPECT_FALSE(parse_status("open"));
    EXPECT_FALSE(parse_status("NEW"));
    EXPECT_FALSE(parse_priority("urgent"));
    EXPECT_LT(rank(Priority::kLow), rank(Priority::kCritical));
}

TEST(TicketStatus, TransitionMatrix) {
    // Rows: from; columns: to, in the order new, assigned, in_progress, waiting_customer,
    // resolved, closed. 'S' = staff may, 'C' = customers too, '.' = nobody.
    const char* matrix[] = {
        /* new              */ ".SSSSC",
        /* assigned         */ "S.SSSC",
        /* in_progress      */ "SS.SSC",
        /* waiting_customer */ "SSS.SC",
        /* resolved         */ "..C..C",
        /* closed           */ "......",
    };
    for (std::size_t f = 0; f < kStatuses.size(); ++f) {
        for (std::size_t t = 0; t < kStatuses.size(); ++t) {
            const Status from = kStatuses[f], to = kStatuses[t];
            const char want = matrix[f][t];
            SCOPED_TRACE(std::string(name(from)) + " → " + std::string(name(to)));
            EXPECT_EQ(transition_allowed(from, to), want != '.');
            EXPECT_EQ(customer_may_transition(from, to), want == 'C');
        }
    }
}

TEST(TicketStatus, OpenMeansNotResolvedOrClosed) {
    EXPECT_TRUE(is_open(Status::kNew));
    EXPECT_TRUE(is_open(Status::kWaitingCustomer));
    EXPECT_FALSE(is_open(Status::kResolved));
    EXPECT_FALSE(is_open(Status::kClosed));
}

}  // namespace
}  // namespace kontor::tickets
