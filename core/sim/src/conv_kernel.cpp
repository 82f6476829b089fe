// Conv1d and Conv2d with PyTorch semantics (cross-correlation, zero padding, stride, dilation,
// groups, "same" = total padding d(k-1) with the odd cell on the right/bottom). Conv1d runs
// as Conv2d with height 1. Dense inputs: im2col + Eigen product per group; sparse inputs
// (spikes): each active input scatters its kernel into the outputs it reaches, accumulated in
// a channels-last scratch so that the output channels of one position are one vector add.
#include "kernel.hpp"
#include "simd.hpp"

#include "nirb/error.hpp"

#include <Eigen/Core>
#include <fmt/core.h>

#include <algorithm>
#include <cstdint>

namespace nirb::sim::detail {
namespace {

/// Inputs at most this dense (nonzero fraction) scatter; denser ones take the dense product.
/// In fixed point every sum is exact in any order, so the choice only changes speed (0.5:
/// measured on a sparse conv network of the target benchmarks); in floating point the two paths sum in different
/// orders, so its threshold stays where the framework comparisons were proven.
constexpr double kSparseFraction = 0.2;
constexpr double kSparseFractionExact = 0.5;

struct Geometry {
    std::int64_t c_in = 0, h = 1, w = 0;
    std::int64_t c_out = 0, kh = 1, kw = 0;
    std::int64_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, groups = 1;
    std::int64_t h_out = 1, w_out = 0;
    /// The channels-last scatter scratch is [scratch_h][scratch_w][c_out] with the outputs at
    /// (halo_top, halo_left): with stride 1 the halo receives the taps that fall outside the
    /// output (discarded), so no tap needs a bounds check. Other strides: no halo.
    std::int64_t halo_top = 0, halo_left = 0, scratch_h = 1, scratch_w = 0;
    std::int64_t cin_g() const { return c_in / groups; }
    std::int64_t cout_g() const { return c_out / groups; }
    std::int64_t k() const { return cin_g() * kh * kw; }
};

std::int64_t out_len(std::int64_t n, std::int64_t pad_total, std::int64_t d, std::int64_t k,
                     std::int64_t s) {
    return (n + pad_total - d * (k - 1) - 1) / s + 1;
}

/// Geometry from the node fields and the inferred input shape; throws on inconsistency.
Geometry geometry_of(const Node& node, const BuildContext& ctx) {
    const std::size_t dims = static_cast<std::size_t>(ctx.schema->spatial_dims);
    const bool is2d = dims == 2;
    const Tensor& wt = node.require_tensor("weight");
    const auto& in = ctx.input_shape;
    if (wt.rank() != dims + 2 || in.size() != dims + 1)
        throw Error(fmt::format("node '{}' ({}): weight {} and input {} have the wrong rank",
                                ctx.node_name, node.type(), shape_to_string(wt.shape()),
                                shape_to_string(in)));
    Geometry g;
    g.c_in = in[0];
    g.h = is2d ? in[1] : 1;
    g.w = in[dims];
    g.c_out = wt.shape()[0];
    g.kh = is2d ? wt.shape()[2] : 1;
    g.kw = wt.shape()[dims + 1];
    g.groups = field_ints(node, "groups", 1, ctx)[0];
    const auto s = field_ints(node, "stride", dims, ctx);
    const auto d = field_ints(node, "dilation", dims, ctx);
    g.sh = is2d ? s[0] : 1;
    g.sw = s[dims - 1];
    g.dh = is2d ? d[0] : 1;
    g.dw = d[dims - 1];
    if (g.groups < 1 || g.c_in % g.groups || g.c_out % g.groups ||
        wt.shape()[1] != g.c_in / g.groups)
        throw Error(fmt::format("node '{}' ({}): {} input channels, weight {} and groups={} do "
                                "not fit together",
                                ctx.node_name, node.type(), g.c_in, shape_to_string(wt.shape()),
                                g.groups));
    std::int64_t pad_h_total = 0, pad_w_total = 0;
    if (const std::string* mode = node.string_field("padding")) {
        if (*mode == "same") {
            if (g.sh != 1 || g.sw != 1)
                throw Error(fmt::format("node '{}' ({}): padding 'same' needs stride 1 (as in "
                                        "PyTorch)",
                                        ctx.node_name, node.type()));
            pad_h_total = g.dh * (g.kh - 1);
            pad_w_total = g.dw * (g.kw - 1);
        } else if (*mode != "valid") {
            throw Error(fmt::format("node '{}' ({}): unknown padding '{}'", ctx.node_name,
                                    node.type(), *mode));
        }
        g.ph = pad_h_total / 2;
        g.pw = pad_w_total / 2;
    } else {
        const auto p = field_ints(node, "padding", dims, ctx);
        g.ph = is2d ? p[0] : 0;
        g.pw = p[dims - 1];
        pad_h_total = 2 * g.ph;
        pad_w_total = 2 * g.pw;
    }
    g.h_out = out_len(g.h, pad_h_total, g.dh, g.kh, g.sh);
    g.w_out = out_len(g.w, pad_w_total, g.dw, g.kw, g.sw);
    if (g.h_out < 1 || g.w_out < 1)
        throw Error(fmt::format("node '{}' ({}): the kernel does not fit the input {}",
                                ctx.node_name, node.type(), shape_to_string(in)));
    g.scratch_h = g.h_out;
    g.scratch_w = g.w_out;
    if (g.sh == 1 && g.sw == 1) { // input row iy reaches rows iy + ph - (kh-1) dh .. iy + ph
        g.halo_top = std::max<std::int64_t>(0, (g.kh - 1) * g.dh - g.ph);
        g.halo_left = std::max<std::int64_t>(0, (g.kw - 1) * g.dw - g.pw);
        g.scratch_h += g.halo_top + std::max<std::int64_t>(0, g.h + g.ph - g.h_out);
        g.scratch_w += g.halo_left + std::max<std::int64_t>(0, g.w + g.pw - g.w_out);
    }
    return g;
}

/// The output index t that input position `num` (= i + pad - k d) reaches with stride s.
[[gnu::always_inline]] inline bool reaches(std::int64_t num, std::int64_t s, std::int64_t n_out,
                                           std::int64_t& t) {
    if (num < 0)
        return false;
    if (s == 1) { // the common case, without integer divisions
        t = num;
        return t < n_out;
    }
    if (num % s)
        return false;
    t = num / s;
    return t < n_out;
}

/// dst[o] += v * w[o] for o < n: whole 32- or 16-byte vectors when n = Cout is known at compile
/// time (GCC splits a 32-byte vector into two where the clone's registers are narrower; each lane
/// computes the same product and sum either way).
template <typename T, std::int64_t Cout>
[[gnu::always_inline]] inline void add_scaled(T v, const T* w, T* dst, std::int64_t n) {
    if constexpr (Cout > 0 && Cout * sizeof(T) % 32 == 0) {
        using V = Vec<T, 32>;
        constexpr std::int64_t kLanes = 32 / sizeof(T);
        for (std::int64_t o = 0; o < Cout; o += kLanes)
            store(dst + o, load<V>(dst + o) + v * load<V>(w + o));
    } else if constexpr (Cout > 0 && Cout * sizeof(T) % 16 == 0) {
        using V = Vec<T, 16>;
        constexpr std::int64_t kLanes = 16 / sizeof(T);
        for (std::int64_t o = 0; o < Cout; o += kLanes)
            store(dst + o, load<V>(dst + o) + v * load<V>(w + o));
    } else {
        for (std::int64_t o = 0; o < n; ++o)
            dst[o] += v * w[o];
    }
}

/// Every nonzero input of one sample adds v * w[c'][ky][kx][:] to the channels of each output
/// position it reaches; `hwc` is the scratch of Geometry (channels last, with its halo). Inputs in
/// (c, y, x) order, taps in (ky, kx) order: the order of the sums is that of a channels-first
/// scatter. Cout > 0 fixes the channels per group at compile time (one or two whole vector adds per
/// tap).
template <typename T, std::int64_t Cout>
[[gnu::always_inline]] inline void scatter_body(const Geometry& g, const T* wt, const T* x,
                                                T* hwc) {
    const auto cin_g = g.cin_g();
    const auto cout_g = Cout > 0 ? Cout : g.cout_g();
    const std::int64_t width = g.w;
    thread_local std::vector<std::int64_t> active_columns; // grows once per thread
    if (active_columns.size() < static_cast<std::size_t>(width))
        active_columns.resize(static_cast<std::size_t>(width));
    std::int64_t* active = active_columns.data();
    // Stride 1: every tap lands in the scratch (its halo takes those outside the output), so
    // no per-tap checks. Tap (ky, kx) of input (iy, ix) reaches output (iy + ph - ky dh,
    // ix + pw - kx dw).
    const bool stride_one = g.sh == 1 && g.sw == 1;
    const std::int64_t tap_down = g.dh * g.scratch_w * g.c_out, tap_right = g.dw * g.c_out;
    for (std::int64_t c = 0; c < g.c_in; ++c) {
        const auto grp = c / cin_g;
        const T* w_c = wt + (grp * g.k() + (c % cin_g) * g.kh * g.kw) * cout_g;
        T* hwc_g = hwc + grp * cout_g;
        // One input spike: its value times each tap it reaches, into that output position.
        const auto scatter_one = [&](std::int64_t iy, std::int64_t ix, T v) {
            if (stride_one) {
                const T* w_tap = w_c;
                // Offsets, not pointers stepped past the scratch's start (that would be UB).
                const std::int64_t base =
                    ((iy + g.ph + g.halo_top) * g.scratch_w + ix + g.pw + g.halo_left) * g.c_out;
                for (std::int64_t ky = 0; ky < g.kh; ++ky)
                    for (std::int64_t kx = 0; kx < g.kw; ++kx, w_tap += cout_g)
                        add_scaled<T, Cout>(v, w_tap, hwc_g + base - ky * tap_down - kx * tap_right,
                                            cout_g);
                return;
            }
            for (std::int64_t ky = 0; ky < g.kh; ++ky) {
                std::int64_t ty = 0;
                if (!reaches(iy + g.ph - ky * g.dh, g.sh, g.h_out, ty))
                    continue;
                for (std::int64_t kx = 0; kx < g.kw; ++kx) {
                    std::int64_t tx = 0;
                    if (!reaches(ix + g.pw - kx * g.dw, g.sw, g.w_out, tx))
                        continue;
                    add_scaled<T, Cout>(v, w_c + (ky * g.kw + kx) * cout_g,
                                        hwc_g + (ty * g.scratch_w + tx) * g.c_out, cout_g);
                }
            }
        };
        for (std::int64_t iy = 0; iy < g.h; ++iy) {
            const T* row = x + (c * g.h + iy) * width;
            // The row's active columns first (branch-free), then one scatter per event.
            std::int64_t events = 0;
            for (std::int64_t ix = 0; ix < width; ++ix) {
                active[events] = ix;
                events += row[ix] != T(0);
            }
            for (std::int64_t e = 0; e < events; ++e)
                scatter_one(iy, active[e], row[active[e]]);
        }
    }
}

template <typename T>
[[gnu::always_inline]] inline void scatter_any(const Geometry& g, const T* wt, const T* x, T* hwc) {
    switch (g.cout_g()) {
    case 4:
        return scatter_body<T, 4>(g, wt, x, hwc);
    case 8:
        return scatter_body<T, 8>(g, wt, x, hwc);
    case 16:
        return scatter_body<T, 16>(g, wt, x, hwc);
    case 32:
        return scatter_body<T, 32>(g, wt, x, hwc);
    case 64:
        return scatter_body<T, 64>(g, wt, x, hwc);
    default:
        return scatter_body<T, 0>(g, wt, x, hwc);
    }
}

NIRB_SIMD_CLONES void scatter_hwc(const Geometry& g, const float* wt, const float* x, float* hwc) {
    scatter_any(g, wt, x, hwc);
}

NIRB_SIMD_CLONES void scatter_hwc(const Geometry& g, const double* wt, const double* x,
                                  double* hwc) {
    scatter_any(g, wt, x, hwc);
}

/// The channels-last scratch set to the bias, and read back channels first: loops with the
/// channel count fixed at compile time where it is small, so GCC vectorises the interleaving.
template <typename T, std::int64_t Cout>
[[gnu::always_inline]] inline void fill_bias_body(T* __restrict hwc, const T* __restrict bias,
                                                  std::int64_t plane, std::int64_t c_out) {
    const auto n = Cout > 0 ? Cout : c_out;
    for (std::int64_t p = 0; p < plane; ++p)
        for (std::int64_t o = 0; o < n; ++o)
            hwc[p * n + o] = bias[o];
}

template <typename T, std::int64_t Cout>
[[gnu::always_inline]] inline void channels_first_body(const Geometry& g, const T* __restrict hwc,
                                                       T* __restrict y) {
    const auto n = Cout > 0 ? Cout : g.c_out;
    const auto plane = g.h_out * g.w_out;
    for (std::int64_t ty = 0; ty < g.h_out; ++ty) {
        const T* from = hwc + ((ty + g.halo_top) * g.scratch_w + g.halo_left) * n;
        T* to = y + ty * g.w_out;
        for (std::int64_t tx = 0; tx < g.w_out; ++tx)
            for (std::int64_t o = 0; o < n; ++o)
                to[o * plane + tx] = from[tx * n + o];
    }
}

template <typename T>
[[gnu::always_inline]] inline void fill_bias_any(T* hwc, const T* bias, std::int64_t plane,
                                                 std::int64_t c_out) {
    switch (c_out) {
    case 4:
        return fill_bias_body<T, 4>(hwc, bias, plane, c_out);
    case 8:
        return fill_bias_body<T, 8>(hwc, bias, plane, c_out);
    default:
        return fill_bias_body<T, 0>(hwc, bias, plane, c_out);
    }
}

template <typename T>
[[gnu::always_inline]] inline void channels_first_any(const Geometry& g, const T* hwc, T* y) {
    switch (g.c_out) {
    case 4:
        return channels_first_body<T, 4>(g, hwc, y);
    case 8:
        return channels_first_body<T, 8>(g, hwc, y);
    default:
        return channels_first_body<T, 0>(g, hwc, y);
    }
}

/// Nonzero values among n.
template <typename T>
[[gnu::always_inline]] inline std::int64_t count_nonzero_any(const T* x, std::int64_t n) {
    std::int64_t nnz = 0;
    for (std::int64_t i = 0; i < n; ++i)
        nnz += x[i] != T(0);
    return nnz;
}

NIRB_SIMD_CLONES void fill_channels_last(float* hwc, const float* bias, std::int64_t plane,
                                         std::int64_t c_out) {
    fill_bias_any(hwc, bias, plane, c_out);
}
NIRB_SIMD_CLONES void fill_channels_last(double* hwc, const double* bias, std::int64_t plane,
                                         std::int64_t c_out) {
    fill_bias_any(hwc, bias, plane, c_out);
}
NIRB_SIMD_CLONES void channels_first(const Geometry& g, const float* hwc, float* y) {
    channels_first_any(g, hwc, y);
}
NIRB_SIMD_CLONES void channels_first(const Geometry& g, const double* hwc, double* y) {
    channels_first_any(g, hwc, y);
}
NIRB_SIMD_CLONES std::int64_t count_nonzero(const float* x, std::int64_t n) {
    return count_nonzero_any(x, n);
}
NIRB_SIMD_CLONES std::int64_t count_nonzero(const double* x, std::int64_t n) {
    return count_nonzero_any(x, n);
}

template <typename T>
class ConvKernel final : public Kernel<T> {
public:
    using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

    ConvKernel(const Node& node, const BuildContext& ctx)
        : m_g(geometry_of(node, ctx)), m_q(ctx.quant.state) {
        const Geometry& g = m_g;
        this->in_size = g.c_in * g.h * g.w;
        this->out_size = g.c_out * g.h_out * g.w_out;
        if (!ctx.output_shape.empty() && shape_element_count(ctx.output_shape) != this->out_size)
            throw Error(fmt::format("node '{}' ({}): inferred output {} disagrees with the "
                                    "PyTorch formula ({}, {}, {})",
                                    ctx.node_name, node.type(), shape_to_string(ctx.output_shape),
                                    g.c_out, g.h_out, g.w_out));
        const auto w = to_compute<T>(node.require_tensor("weight").to_doubles(), ctx.quant.weight);
        m_w = Eigen::Map<const RowMatrix>(w.data(), g.c_out, g.k());
        // Scatter layout: [group][c'][ky][kx][o in group], outputs contiguous.
        m_wt.resize(w.size());
        for (std::int64_t o = 0; o < g.c_out; ++o)
            for (std::int64_t r = 0; r < g.k(); ++r)
                m_wt[((o / g.cout_g()) * g.k() + r) * g.cout_g() + o % g.cout_g()] =
                    w[o * g.k() + r];
        m_bias = to_compute<T>(field_values(node, "bias", g.c_out, ctx), ctx.quant.weight);
    }

    double dense_ops_per_sample() const override {
        return static_cast<double>(this->out_size) * static_cast<double>(m_g.k());
    }

    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        std::int64_t total = 0;
        for (int b = 0; b < ctx.batch; ++b) {
            const T* x = in + b * this->in_size;
            T* y = out + b * this->out_size;
            const std::int64_t nnz = count_nonzero(x, this->in_size);
            total += nnz;
            const double sparse = m_q.enabled() ? kSparseFractionExact : kSparseFraction;
            if (static_cast<double>(nnz) <= sparse * static_cast<double>(this->in_size))
                scatter(x, y);
            else
                gemm(x, y);
        }
        if (ctx.nonzero_inputs)
            *ctx.nonzero_inputs = total;
        quantize_block(m_q, out, static_cast<std::size_t>(this->out_size * ctx.batch));
    }

private:
    void fill_bias(T* y) const {
        const auto plane = m_g.h_out * m_g.w_out;
        for (std::int64_t o = 0; o < m_g.c_out; ++o)
            std::fill(y + o * plane, y + (o + 1) * plane, m_bias[o]);
    }

    void im2col(const T* x, std::int64_t group, T* cols) const {
        const Geometry& g = m_g;
        const auto plane = g.h_out * g.w_out;
        std::int64_t row = 0;
        for (std::int64_t c = group * g.cin_g(); c < (group + 1) * g.cin_g(); ++c)
            for (std::int64_t ky = 0; ky < g.kh; ++ky)
                for (std::int64_t kx = 0; kx < g.kw; ++kx, ++row) {
                    T* dst = cols + row * plane;
                    for (std::int64_t oy = 0; oy < g.h_out; ++oy) {
                        const auto iy = oy * g.sh + ky * g.dh - g.ph;
                        for (std::int64_t ox = 0; ox < g.w_out; ++ox) {
                            const auto ix = ox * g.sw + kx * g.dw - g.pw;
                            const bool inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
                            dst[oy * g.w_out + ox] = inside ? x[(c * g.h + iy) * g.w + ix] : T(0);
                        }
                    }
                }
    }

    void gemm(const T* x, T* y) const {
        const Geometry& g = m_g;
        const auto plane = g.h_out * g.w_out;
        thread_local std::vector<T> cols; // grows once per thread, then reused every step
        if (cols.size() < static_cast<std::size_t>(g.k() * plane))
            cols.resize(static_cast<std::size_t>(g.k() * plane));
        fill_bias(y);
        for (std::int64_t grp = 0; grp < g.groups; ++grp) {
            im2col(x, grp, cols.data());
            Eigen::Map<const RowMatrix> c(cols.data(), g.k(), plane);
            Eigen::Map<RowMatrix> out(y + grp * g.cout_g() * plane, g.cout_g(), plane);
            out.noalias() += m_w.middleRows(grp * g.cout_g(), g.cout_g()) * c;
        }
    }

    void scatter(const T* x, T* y) const {
        const Geometry& g = m_g;
        const auto positions = g.scratch_h * g.scratch_w;
        thread_local std::vector<T> hwc; // grows once per thread, then reused every step
        if (hwc.size() < static_cast<std::size_t>(positions * g.c_out))
            hwc.resize(static_cast<std::size_t>(positions * g.c_out));
        fill_channels_last(hwc.data(), m_bias.data(), positions, g.c_out);
        scatter_hwc(g, m_wt.data(), x, hwc.data());
        channels_first(g, hwc.data(), y);
    }

    Geometry m_g;
    Quantizer m_q;
    RowMatrix m_w;
    std::vector<T> m_wt;
    std::vector<T> m_bias;
};

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> make_conv_kernel(const Node& node, const BuildContext& ctx) {
    return std::make_unique<ConvKernel<T>>(node, ctx);
}

template std::unique_ptr<Kernel<float>> make_conv_kernel<float>(const Node&, const BuildContext&);
template std::unique_ptr<Kernel<double>> make_conv_kernel<double>(const Node&, const BuildContext&);

} // namespace nirb::sim::detail
