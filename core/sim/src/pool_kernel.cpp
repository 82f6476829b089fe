// SumPool2d and AvgPool2d: window sums with zero padding; AvgPool divides by kh*kw always,
// which is PyTorch's count_include_pad=True (what nirtorch builds) with ceil_mode=False.
#include "kernel.hpp"
#include "simd.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

namespace nirb::sim::detail {
namespace {

/// pool_inside<2, 2> at stride 2 (the common pooling) as one vectorisable loop per output row:
/// the same sums in the same order.
template <typename T>
[[gnu::always_inline]] inline void
pool_2x2_any(const T* __restrict x, T* __restrict y, std::int64_t channels, std::int64_t h,
             std::int64_t w, std::int64_t h_out, std::int64_t w_out, bool average) {
    for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t oy = 0; oy < h_out; ++oy) {
            const T* top = x + (c * h + 2 * oy) * w;
            const T* bottom = top + w;
            T* dst = y + (c * h_out + oy) * w_out;
            for (std::int64_t ox = 0; ox < w_out; ++ox) {
                T sum = 0;
                sum += top[2 * ox];
                sum += top[2 * ox + 1];
                sum += bottom[2 * ox];
                sum += bottom[2 * ox + 1];
                dst[ox] = average ? sum / T(4) : sum;
            }
        }
}

NIRB_SIMD_CLONES void pool_2x2(const float* x, float* y, std::int64_t channels, std::int64_t h,
                               std::int64_t w, std::int64_t h_out, std::int64_t w_out,
                               bool average) {
    pool_2x2_any(x, y, channels, h, w, h_out, w_out, average);
}
NIRB_SIMD_CLONES void pool_2x2(const double* x, double* y, std::int64_t channels, std::int64_t h,
                               std::int64_t w, std::int64_t h_out, std::int64_t w_out,
                               bool average) {
    pool_2x2_any(x, y, channels, h, w, h_out, w_out, average);
}

template <typename T>
class PoolKernel final : public Kernel<T> {
public:
    PoolKernel(const Node& node, const BuildContext& ctx) : m_q(ctx.quant.state) {
        const auto& in = ctx.input_shape;
        if (in.size() != 3)
            throw Error(fmt::format("node '{}' ({}): input must be (C, H, W), got {}",
                                    ctx.node_name, node.type(), shape_to_string(in)));
        m_c = in[0];
        m_h = in[1];
        m_w = in[2];
        const auto k = field_ints(node, "kernel_size", 2, ctx);
        const auto s = node.fields().find("stride") ? field_ints(node, "stride", 2, ctx) : k;
        const auto p = field_ints(node, "padding", 2, ctx);
        m_kh = k[0];
        m_kw = k[1];
        m_sh = s[0];
        m_sw = s[1];
        m_ph = p[0];
        m_pw = p[1];
        if (m_kh < 1 || m_kw < 1 || m_sh < 1 || m_sw < 1 || m_ph < 0 || m_pw < 0)
            throw Error(fmt::format("node '{}' ({}): kernel_size and stride must be >= 1, padding "
                                    ">= 0",
                                    ctx.node_name, node.type()));
        m_h_out = (m_h + 2 * m_ph - m_kh) / m_sh + 1;
        m_w_out = (m_w + 2 * m_pw - m_kw) / m_sw + 1;
        if (m_h_out < 1 || m_w_out < 1)
            throw Error(fmt::format("node '{}' ({}): the window does not fit the input {}",
                                    ctx.node_name, node.type(), shape_to_string(in)));
        this->in_size = m_c * m_h * m_w;
        this->out_size = m_c * m_h_out * m_w_out;
        if (!ctx.output_shape.empty() && shape_element_count(ctx.output_shape) != this->out_size)
            throw Error(fmt::format(
                "node '{}' ({}): inferred output {} disagrees with ({}, {}, {})", ctx.node_name,
                node.type(), shape_to_string(ctx.output_shape), m_c, m_h_out, m_w_out));
        m_average = ctx.schema->kernel == KernelFamily::AvgPool;
    }

    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        for (int b = 0; b < ctx.batch; ++b)
            pool(in + b * this->in_size, out + b * this->out_size);
        quantize_block(m_q, out, static_cast<std::size_t>(this->out_size * ctx.batch));
    }

private:
    void pool(const T* x, T* y) const {
        if (m_ph == 0 && m_pw == 0) {
            if (m_kh == 2 && m_kw == 2 && m_sh == 2 && m_sw == 2)
                return pool_2x2(x, y, m_c, m_h, m_w, m_h_out, m_w_out, m_average);
            if (m_kh == 2 && m_kw == 2)
                return pool_inside<2, 2>(x, y);
            return pool_inside<0, 0>(x, y);
        }
        for (std::int64_t c = 0; c < m_c; ++c)
            for (std::int64_t oy = 0; oy < m_h_out; ++oy)
                for (std::int64_t ox = 0; ox < m_w_out; ++ox) {
                    T sum = 0;
                    for (std::int64_t ky = 0; ky < m_kh; ++ky) {
                        const auto iy = oy * m_sh + ky - m_ph;
                        if (iy < 0 || iy >= m_h)
                            continue;
                        for (std::int64_t kx = 0; kx < m_kw; ++kx) {
                            const auto ix = ox * m_sw + kx - m_pw;
                            if (ix >= 0 && ix < m_w)
                                sum += x[(c * m_h + iy) * m_w + ix];
                        }
                    }
                    // PyTorch divides the sum by the window area (not multiplies by 1/area).
                    y[(c * m_h_out + oy) * m_w_out + ox] =
                        m_average ? sum / static_cast<T>(m_kh * m_kw) : sum;
                }
    }

    /// Without padding every window lies inside the input: no bounds checks, and the common
    /// 2x2 window unrolled (Kh, Kw > 0: the window size at compile time). Same sums as pool().
    template <std::int64_t Kh, std::int64_t Kw>
    void pool_inside(const T* x, T* y) const {
        const std::int64_t kh = Kh > 0 ? Kh : m_kh, kw = Kw > 0 ? Kw : m_kw;
        for (std::int64_t c = 0; c < m_c; ++c)
            for (std::int64_t oy = 0; oy < m_h_out; ++oy) {
                const T* rows = x + (c * m_h + oy * m_sh) * m_w;
                T* dst = y + (c * m_h_out + oy) * m_w_out;
                for (std::int64_t ox = 0; ox < m_w_out; ++ox) {
                    const T* window = rows + ox * m_sw;
                    T sum = 0;
                    for (std::int64_t ky = 0; ky < kh; ++ky)
                        for (std::int64_t kx = 0; kx < kw; ++kx)
                            sum += window[ky * m_w + kx];
                    dst[ox] = m_average ? sum / static_cast<T>(kh * kw) : sum;
                }
            }
    }

    Quantizer m_q;
    std::int64_t m_c = 0, m_h = 0, m_w = 0, m_kh = 1, m_kw = 1, m_sh = 1, m_sw = 1, m_ph = 0,
                 m_pw = 0, m_h_out = 0, m_w_out = 0;
    bool m_average = false;
};

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> make_pool_kernel(const Node& node, const BuildContext& ctx) {
    return std::make_unique<PoolKernel<T>>(node, ctx);
}

template std::unique_ptr<Kernel<float>> make_pool_kernel<float>(const Node&, const BuildContext&);
template std::unique_ptr<Kernel<double>> make_pool_kernel<double>(const Node&, const BuildContext&);

} // namespace nirb::sim::detail
