#pragma once
// One page of a list (DESIGN.md §5): what services take and return; the HTTP edge turns it into
// {data, meta:{page,limit,total,total_pages}, links:{self,next,prev}} (api/pagination.hpp).
#include <cstdint>
#include <vector>

namespace kontor::core {

struct PageRequest {
    int page = 1;    // 1-based
    int limit = 25;  // 1..kMaxLimit

    static constexpr int kMaxLimit = 100;
    std::int64_t offset() const noexcept { return static_cast<std::int64_t>(page - 1) * limit; }
};

template <class T>
struct Page {
    std::vector<T> items;
    std::int64_t total = 0;  // rows matching the filter, over all pages
};

}  // namespace kontor::core
