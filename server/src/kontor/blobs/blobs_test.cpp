// The local BlobStore: content addressing, deduplication per tenant, atomic commit (nothing under
// a real name before commit, no partial file after an abort or a refused write), ranged reads,
// tenants kept apart, the sweep of crash leftovers, and a streamed 64 MiB write.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "kontor/blobs/blob_store.hpp"
#include "kontor/core/ids.hpp"

namespace kontor::blobs {
namespace {

namespace fs = std::filesystem;

std::string sha256_of(std::string_view data) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0xF]);
    }
    return out;
}

// Every regular file under dir (recursively), relative names.
std::vector<std::string> files_under(const fs::path& dir) {
    std::vector<std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).string());
    std::sort(out.begin(), out.end());
    return out;
}

class LocalBlobStore : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("kontor-blobs-" + core::new_uuid_v7());
        store_ = make_local_store(root_);
    }
    void TearDown() override {
        store_.reset();
        fs::remove_all(root_);
    }
    BlobRef put(const core::TenantId& tenant, const std::string& data, std::size_t chunk = 7) {
        auto w = store_->begin(tenant, 1 << 30);
        for (std::size_t i = 0; i < data.size(); i += chunk) {
            auto r = w->write(std::string_view(data).substr(i, chunk));
            EXPECT_TRUE(r);
        }
        auto ref = w->commit();
        EXPECT_TRUE(ref);
        return ref ? *ref : BlobRef{};
    }

    fs::path root_;
    std::unique_ptr<BlobStore> store_;
    core::TenantId a_{core::new_uuid_v7()}, b_{core::new_uuid_v7()};
};

TEST_F(LocalBlobStore, StoresUnderTheSha256OfTheBytes) {
    const std::string data = "Invoice 2026-11\nTotal: 1,234.00 EUR\n";
    const BlobRef ref = put(a_, data);
    EXPECT_EQ(ref.sha256, sha256_of(data));
    EXPECT_EQ(ref.size, data.size());
    EXPECT_FALSE(ref.existed);
    EXPECT_EQ(store_->size_of(a_, ref.sha256), data.size());
    EXPECT_EQ(*store_->read(a_, ref.sha256, 0, 1000), data);
    EXPECT_EQ(*store_->read(a_, ref.sha256, 8, 7), "2026-11");
    EXPECT_EQ(*store_->read(a_, ref.sha256, data.size() - 3, 100), "UR\n");  // short at the end
    EXPECT_EQ(*store_->read(a_, ref.sha256, data.size(), 10), "");
    const auto path = store_->local_path(a_, ref.sha256);
    ASSERT_TRUE(path);
    EXPECT_EQ(path->filename().string(), ref.sha256);
    struct stat st {};
    ASSERT_EQ(::stat(path->c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);  // readable by the server only
    // Nothing else is left behind: no partial file.
    EXPECT_EQ(files_under(root_ / a_.str()),
              (std::vector<std::string>{ref.sha256.substr(0, 2) + "/" + ref.sha256}));
}

TEST_F(LocalBlobStore, IdenticalContentIsStoredOncePerTenant) {
    const std::string data(10'000, 'x');
    const BlobRef first = put(a_, data);
    const BlobRef again = put(a_, data, 999);
    EXPECT_EQ(again.sha256, first.sha256);
    EXPECT_TRUE(again.existed);
    EXPECT_EQ(files_under(root_ / a_.str()).size(), 1u);
    // Another tenant gets its own copy: tenants share nothing, not even storage.
    const BlobRef other = put(b_, data);
    EXPECT_FALSE(other.existed);
    EXPECT_EQ(files_under(root_ / b_.str()).size(), 1u);
    EXPECT_TRUE(store_->remove(a_, first.sha256));
    EXPECT_FALSE(store_->size_of(a_, first.sha256));
    EXPECT_EQ(store_->size_of(b_, first.sha256), data.size());
}

TEST_F(LocalBlobStore, NothingIsVisibleBeforeCommitAndAnAbortLeavesNothing) {
    const std::string data = "half of a contract";
    {
        auto w = store_->begin(a_, 1000);
        ASSERT_TRUE(w->write(data));
        EXPECT_FALSE(store_->size_of(a_, sha256_of(data)));  // not under its name yet
        EXPECT_EQ(files_under(root_ / a_.str() / ".partial").size(), 1u);
    }  // destroyed without commit: the client went away
    EXPECT_TRUE(files_under(root_ / a_.str()).empty());
    EXPECT_FALSE(store_->size_of(a_, sha256_of(data)));
}

TEST_F(LocalBlobStore, TheLimitRefusesAndRemovesThePartialFile) {
    auto w = store_->begin(a_, 10);
    ASSERT_TRUE(w->write("12345"));
    ASSERT_TRUE(w->write("67890"));  // exactly the limit
    auto over = w->write("1");
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, core::ErrorCode::kPayloadTooLarge);
    EXPECT_TRUE(files_under(root_ / a_.str()).empty());
    auto commit = w->commit();
    ASSERT_FALSE(commit);
    EXPECT_EQ(commit.error().code, core::ErrorCode::kPayloadTooLarge);
    EXPECT_TRUE(files_under(root_ / a_.str()).empty());
}

TEST_F(LocalBlobStore, NamesThatAreNotHashesFindNothing) {
    const BlobRef ref = put(a_, "x");
    for (const std::string& bad : {std::string("../") + ref.sha256.substr(3), ref.sha256.substr(1),
                                   std::string(""), std::string(64, 'g'), [&] {
                                       std::string upper = ref.sha256;
                                       for (char& c : upper) c = static_cast<char>(std::toupper(c));
                                       return upper;
                                   }()}) {
        EXPECT_FALSE(store_->size_of(a_, bad)) << bad;
        EXPECT_FALSE(store_->read(a_, bad, 0, 1)) << bad;
        EXPECT_FALSE(store_->local_path(a_, bad)) << bad;
        EXPECT_FALSE(store_->remove(a_, bad)) << bad;
    }
    // A tenant id that is not a UUID never becomes a directory name.
    EXPECT_THROW(store_->size_of(core::TenantId{"../etc"}, ref.sha256), core::Failure);
}

TEST_F(LocalBlobStore, SweepRemovesOldPartialsOnly) {
    // A crash mid-upload leaves a partial file behind (simulated by writing one by hand).
    const fs::path partials = root_ / a_.str() / ".partial";
    fs::create_directories(partials);
    std::ofstream(partials / "left-by-a-crash") << "half";
    fs::last_write_time(partials / "left-by-a-crash",
                        fs::file_time_type::clock::now() - std::chrono::hours(2));
    auto live = store_->begin(a_, 100);  // an upload in progress right now
    ASSERT_TRUE(live->write("in progress"));
    EXPECT_EQ(store_->sweep_partials(std::chrono::hours(1)), 1);
    EXPECT_EQ(files_under(partials).size(), 1u);  // the live one stays
    ASSERT_TRUE(live->commit());
    EXPECT_TRUE(files_under(partials).empty());
}

TEST_F(LocalBlobStore, StreamsLargeContentInChunks) {
    // 64 MiB in 1 MiB chunks of pseudo-random bytes; only one chunk is ever in memory here.
    std::mt19937_64 rng(7);
    std::string chunk(1 << 20, '\0');
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state expected;
    crypto_hash_sha256_init(&expected);
    auto w = store_->begin(a_, std::uint64_t{1} << 30);
    for (int i = 0; i < 64; ++i) {
        for (auto& c : chunk) c = static_cast<char>(rng());
        crypto_hash_sha256_update(&expected, reinterpret_cast<const unsigned char*>(chunk.data()),
                                  chunk.size());
        ASSERT_TRUE(w->write(chunk));
    }
    crypto_hash_sha256_final(&expected, digest);
    const auto ref = w->commit();
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->size, std::uint64_t{64} << 20);
    std::string hex;
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char b : digest) {
        hex.push_back(kHex[b >> 4]);
        hex.push_back(kHex[b & 0xF]);
    }
    EXPECT_EQ(ref->sha256, hex);
    EXPECT_EQ(store_->read(a_, ref->sha256, (std::uint64_t{64} << 20) - 1, 10)->size(), 1u);
}

}  // namespace
}  // namespace kontor::blobs
