// Conv1d, Conv2d, SumPool2d, AvgPool2d, Flatten and Affine against direct loop formulas on
// random data: non-square kernels, groups, dilation, stride, padding (int and "same"), both
// the dense (GEMM) and the sparse (event scatter) paths, and a batch of 3.
#include "sim_test_util.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace simtest;
using namespace nirb::sim;

namespace {

struct Conv {
    std::int64_t c_in, h, w, c_out, kh, kw, sh, sw, ph, pw, dh, dw, groups;
    bool same = false;
};

/// Direct PyTorch conv2d formula: y[o,i,j] = b[o] + sum W[o,c,a,b] x[g*cg+c, i*s+a*d-p, ...].
std::vector<double> direct_conv(const Conv& c, const std::vector<double>& x,
                                const std::vector<double>& w, const std::vector<double>& bias,
                                std::int64_t ho, std::int64_t wo, std::int64_t ph,
                                std::int64_t pw) {
    std::vector<double> y(c.c_out * ho * wo);
    const auto cg = c.c_in / c.groups, og = c.c_out / c.groups;
    for (std::int64_t o = 0; o < c.c_out; ++o)
        for (std::int64_t i = 0; i < ho; ++i)
            for (std::int64_t j = 0; j < wo; ++j) {
                double s = bias[o];
                for (std::int64_t ci = 0; ci < cg; ++ci)
                    for (std::int64_t a = 0; a < c.kh; ++a)
                        for (std::int64_t b = 0; b < c.kw; ++b) {
                            const auto yy = i * c.sh + a * c.dh - ph;
                            const auto xx = j * c.sw + b * c.dw - pw;
                            if (yy < 0 || yy >= c.h || xx < 0 || xx >= c.w)
                                continue;
                            const auto cin = (o / og) * cg + ci;
                            s += w[((o * cg + ci) * c.kh + a) * c.kw + b] *
                                 x[(cin * c.h + yy) * c.w + xx];
                        }
                y[(o * ho + i) * wo + j] = s;
            }
    return y;
}

void check_conv(const Conv& c, double sparsity, bool one_d = false) {
    const auto cg = c.c_in / c.groups;
    const auto w = random_values(c.c_out * cg * c.kh * c.kw, 1);
    const auto bias = random_values(c.c_out, 2);
    const int batch = 3;
    const auto n_in = c.c_in * c.h * c.w;
    const auto x = random_values(n_in * batch, 3, sparsity);
    const auto ph_total = c.same ? c.dh * (c.kh - 1) : 2 * c.ph;
    const auto pw_total = c.same ? c.dw * (c.kw - 1) : 2 * c.pw;
    const auto ho = (c.h + ph_total - c.dh * (c.kh - 1) - 1) / c.sh + 1;
    const auto wo = (c.w + pw_total - c.dw * (c.kw - 1) - 1) / c.sw + 1;
    Node n(one_d ? "Conv1d" : "Conv2d");
    n.set_field("weight", one_d ? f64(w, {c.c_out, cg, c.kw}) : f64(w, {c.c_out, cg, c.kh, c.kw}));
    n.set_field("stride", one_d ? int0(c.sw) : ints({c.sh, c.sw}));
    if (c.same)
        n.set_field("padding", nirb::Value("same"));
    else
        n.set_field("padding", one_d ? int0(c.pw) : ints({c.ph, c.pw}));
    n.set_field("dilation", one_d ? int0(c.dw) : ints({c.dh, c.dw}));
    n.set_field("groups", int0(c.groups));
    n.set_field("bias", f64(bias, {c.c_out}));
    const Shape in_shape = one_d ? Shape{c.c_in, c.w} : Shape{c.c_in, c.h, c.w};
    const Shape out_shape = one_d ? Shape{c.c_out, wo} : Shape{c.c_out, ho, wo};
    Profile p = profile_with([](Profile&) {});
    Simulator sim(chain(in_shape, n, out_shape), p, {.batch = batch, .threads = 1});
    const std::vector<float> xf(x.begin(), x.end());
    const auto y = run(sim, xf, 1);
    for (int b = 0; b < batch; ++b) {
        std::vector<double> xb(x.begin() + b * n_in, x.begin() + (b + 1) * n_in);
        for (auto& v : xb)
            v = static_cast<float>(v); // the simulator sees the float32 input
        const auto ref = direct_conv(c, xb, w, bias, ho, wo, c.same ? ph_total / 2 : c.ph,
                                     c.same ? pw_total / 2 : c.pw);
        for (std::size_t i = 0; i < ref.size(); ++i)
            REQUIRE(y[b * ref.size() + i] == doctest::Approx(ref[i]).epsilon(1e-6));
    }
}

} // namespace

TEST_CASE("Conv2d matches the direct formula, dense and sparse paths") {
    for (double sparsity : {0.0, 0.95}) {
        CAPTURE(sparsity);
        check_conv({2, 9, 11, 4, 3, 5, 1, 1, 0, 0, 1, 1, 1}, sparsity);  // non-square kernel
        check_conv({4, 10, 9, 6, 3, 2, 2, 3, 1, 2, 1, 1, 2}, sparsity);  // stride, pad, groups
        check_conv({3, 12, 12, 6, 3, 3, 1, 2, 2, 1, 2, 3, 3}, sparsity); // dilation, depthwise-ish
        check_conv({2, 7, 8, 2, 4, 3, 1, 1, 0, 0, 2, 1, 1, true}, sparsity); // "same", even kernel
        // Stride 1 scatters through a halo: padding wider than the kernel reach (no halo) and
        // narrower on one axis (halo), 4 and 8 output channels per group.
        check_conv({3, 8, 9, 8, 3, 3, 1, 1, 3, 3, 1, 1, 1}, sparsity);
        check_conv({4, 9, 10, 8, 3, 3, 1, 1, 1, 0, 2, 1, 2}, sparsity);
    }
}

TEST_CASE("Conv1d matches the direct formula") {
    check_conv({4, 1, 17, 6, 1, 3, 1, 2, 0, 1, 1, 2, 2}, 0.0, true);
    check_conv({4, 1, 17, 6, 1, 3, 1, 2, 0, 1, 1, 2, 2}, 0.9, true);
    check_conv({2, 1, 10, 2, 1, 4, 1, 1, 0, 0, 1, 1, 1, true}, 0.0, true);
}

TEST_CASE("SumPool2d and AvgPool2d with padding (count_include_pad) and Flatten") {
    const std::int64_t c = 2, h = 7, w = 6;
    const auto x = random_values(c * h * w, 4);
    for (const char* type : {"SumPool2d", "AvgPool2d"}) {
        Node n = node(
            type,
            {{"kernel_size", ints({3, 2})}, {"stride", ints({2, 2})}, {"padding", ints({1, 1})}});
        const std::int64_t ho = (h + 2 - 3) / 2 + 1, wo = (w + 2 - 2) / 2 + 1;
        nirb::Graph g = chain({c, h, w}, n, {c, ho, wo});
        Simulator sim(g, profile_with([](Profile&) {}));
        const std::vector<float> xf(x.begin(), x.end());
        const auto y = run(sim, xf, 1);
        for (std::int64_t ch = 0; ch < c; ++ch)
            for (std::int64_t i = 0; i < ho; ++i)
                for (std::int64_t j = 0; j < wo; ++j) {
                    double s = 0;
                    for (std::int64_t a = 0; a < 3; ++a)
                        for (std::int64_t b = 0; b < 2; ++b) {
                            const auto yy = i * 2 + a - 1, xx = j * 2 + b - 1;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w)
                                s += static_cast<float>(x[(ch * h + yy) * w + xx]);
                        }
                    if (std::string(type) == "AvgPool2d")
                        s /= 6.0;
                    CHECK(y[(ch * ho + i) * wo + j] == doctest::Approx(s).epsilon(1e-6));
                }
    }
    // Flatten (C,H,W) -> (C*H*W) keeps row-major order.
    Node f = node("Flatten", {{"start_dim", int0(0)}, {"end_dim", int0(-1)}});
    Simulator sim(chain({c, h, w}, f, {c * h * w}), profile_with([](Profile&) {}));
    const std::vector<float> xf(x.begin(), x.end());
    CHECK(run(sim, xf, 1) == xf);
    // flatten_order: channels_last lists it (H, W, C).
    Simulator last(chain({c, h, w}, f, {c * h * w}),
                   profile_with([](Profile& p) { p.flatten_channels_last = true; }));
    const auto y = run(last, xf, 1);
    for (std::int64_t ch = 0; ch < c; ++ch)
        for (std::int64_t i = 0; i < h * w; ++i)
            CHECK(y[i * c + ch] == xf[ch * h * w + i]);
}

TEST_CASE("Affine dense and event-driven paths agree with W x + b") {
    const std::int64_t n_in = 40, n_out = 7;
    const auto w = random_values(n_in * n_out, 5);
    const auto b = random_values(n_out, 6);
    Node a = node("Affine", {{"weight", f64(w, {n_out, n_in})}, {"bias", f64(b, {n_out})}});
    for (double sparsity : {0.0, 0.9}) {
        const auto x = random_values(n_in * 2, 7, sparsity);
        Simulator sim(chain({n_in}, a, {n_out}), profile_with([](Profile&) {}), {.batch = 2});
        const auto y = run(sim, std::vector<float>(x.begin(), x.end()), 1);
        for (int s = 0; s < 2; ++s)
            for (std::int64_t o = 0; o < n_out; ++o) {
                double ref = b[o];
                for (std::int64_t i = 0; i < n_in; ++i)
                    ref += w[o * n_in + i] * static_cast<float>(x[s * n_in + i]);
                CHECK(y[s * n_out + o] == doctest::Approx(ref).epsilon(1e-6));
            }
    }
}
