// Affine and Linear: y = W x (+ b). Dense inputs use an Eigen matrix product over the lane's
// samples; sparse inputs (spikes) take the event-driven path that adds only the weight
// columns of the active inputs, which is where a spiking network spends most of its time.
// The event path works on a tile of outputs at a time for every sample of the lane: the
// tile's partial sums stay in vector registers and its slice of the weights stays in cache
// across samples, so each event costs one vector load and add per 16 outputs (AVX-512).
#include "kernel.hpp"
#include "simd.hpp"

#include "nirb/error.hpp"

#include <Eigen/Core>
#include <fmt/core.h>

namespace nirb::sim::detail {
namespace {

/// An input block counts as sparse when at most this fraction of its values is nonzero; the
/// column path then reads nnz columns instead of the whole matrix.
/// Inputs at most this dense (nonzero fraction) take the event path, denser ones the matrix
/// product. In fixed point every sum is exact in any order, so the choice only changes speed;
/// in floating point the two paths sum in different orders, so its threshold stays where the
/// framework comparisons were proven (conv_kernel.cpp does the same).
constexpr double kSparseFraction = 0.25;
constexpr double kSparseFractionExact = 0.5;

/// The active inputs of a lane: sample b's are index/value[start[b]..start[b+1]), increasing.
template <typename T>
struct Events {
    const std::int32_t* index = nullptr;
    const T* value = nullptr;
    const std::int64_t* start = nullptr;
    int batch = 0;
};

/// y[b][o0 + k] = bias + sum over b's events, in increasing input order, of value * w[input]
/// for k < Count * lanes of V: Count vectors of partial sums in registers.
template <typename T, typename V, int Count, bool Binary>
[[gnu::always_inline]] inline void accumulate_tile(const Events<T>& e, const T* w,
                                                   std::int64_t n_out, const T* bias,
                                                   std::int64_t o0, T* y) {
    constexpr std::int64_t kLanes = sizeof(V) / sizeof(T);
    for (int b = 0; b < e.batch; ++b) {
        V acc[Count];
        for (int k = 0; k < Count; ++k)
            acc[k] = load<V>(bias + o0 + k * kLanes);
        for (std::int64_t p = e.start[b]; p < e.start[b + 1]; ++p) {
            const T* row = w + e.index[p] * n_out + o0;
            if constexpr (Binary) {
                for (int k = 0; k < Count; ++k)
                    acc[k] += load<V>(row + k * kLanes);
            } else {
                const T v = e.value[p];
                for (int k = 0; k < Count; ++k)
                    acc[k] += v * load<V>(row + k * kLanes);
            }
        }
        for (int k = 0; k < Count; ++k)
            store(y + b * n_out + o0 + k * kLanes, acc[k]);
    }
}

/// The same for one output (the last few that fill no 16-byte vector).
template <typename T, bool Binary>
[[gnu::always_inline]] inline void accumulate_scalar(const Events<T>& e, const T* w,
                                                     std::int64_t n_out, const T* bias,
                                                     std::int64_t o, T* y) {
    for (int b = 0; b < e.batch; ++b) {
        T acc = bias[o];
        for (std::int64_t p = e.start[b]; p < e.start[b + 1]; ++p)
            acc += Binary ? w[e.index[p] * n_out + o] : e.value[p] * w[e.index[p] * n_out + o];
        y[b * n_out + o] = acc;
    }
}

/// The outputs from o0 on, less than 4 vectors V: one tile of as many whole vectors as fit.
template <typename T, typename V, bool Binary>
[[gnu::always_inline]] inline std::int64_t accumulate_rest(const Events<T>& e, const T* w,
                                                           std::int64_t n_out, const T* bias,
                                                           std::int64_t o0, T* y) {
    constexpr std::int64_t kLanes = sizeof(V) / sizeof(T);
    switch ((n_out - o0) / kLanes) {
    case 3:
        accumulate_tile<T, V, 3, Binary>(e, w, n_out, bias, o0, y);
        return o0 + 3 * kLanes;
    case 2:
        accumulate_tile<T, V, 2, Binary>(e, w, n_out, bias, o0, y);
        return o0 + 2 * kLanes;
    case 1:
        accumulate_tile<T, V, 1, Binary>(e, w, n_out, bias, o0, y);
        return o0 + kLanes;
    default:
        return o0;
    }
}

/// Tiles of 8 registers of outputs (8 of the 16 vector registers even without AVX-512; fewer
/// index computations per output than 4), then one of 4, then what is left in whole
/// registers, then in 16-byte vectors, then single outputs.
template <typename T, int Bytes, bool Binary>
[[gnu::always_inline]] inline void accumulate_all(const Events<T>& e, const T* w,
                                                  std::int64_t n_out, const T* bias, T* y) {
    using Wide = Vec<T, Bytes>;
    constexpr std::int64_t kLanes = Bytes / sizeof(T);
    std::int64_t o0 = 0;
    for (; o0 + 8 * kLanes <= n_out; o0 += 8 * kLanes)
        accumulate_tile<T, Wide, 8, Binary>(e, w, n_out, bias, o0, y);
    if (o0 + 4 * kLanes <= n_out) {
        accumulate_tile<T, Wide, 4, Binary>(e, w, n_out, bias, o0, y);
        o0 += 4 * kLanes;
    }
    o0 = accumulate_rest<T, Wide, Binary>(e, w, n_out, bias, o0, y);
    if constexpr (Bytes > 16)
        o0 = accumulate_rest<T, Vec<T, 16>, Binary>(e, w, n_out, bias, o0, y);
    for (; o0 < n_out; ++o0)
        accumulate_scalar<T, Binary>(e, w, n_out, bias, o0, y);
}

// One function per instruction set (binary spikes skip the multiply; x * w with x = 1 is w
// exactly, so both give the same sums).
template <typename T, int Bytes>
[[gnu::always_inline]] inline void accumulate_at(const Events<T>& e, const T* w, std::int64_t n_out,
                                                 const T* bias, bool binary, T* y) {
    if (binary)
        accumulate_all<T, Bytes, true>(e, w, n_out, bias, y);
    else
        accumulate_all<T, Bytes, false>(e, w, n_out, bias, y);
}

#if NIRB_SIMD_DISPATCH
template <typename T>
NIRB_TARGET("avx512f")
void accumulate_avx512(const Events<T>& e, const T* w, std::int64_t n_out, const T* bias,
                       bool binary, T* y) {
    accumulate_at<T, 64>(e, w, n_out, bias, binary, y);
}

template <typename T>
NIRB_TARGET("avx2")
void accumulate_avx2(const Events<T>& e, const T* w, std::int64_t n_out, const T* bias, bool binary,
                     T* y) {
    accumulate_at<T, 32>(e, w, n_out, bias, binary, y);
}
#endif

template <typename T>
void accumulate_events(const Events<T>& e, const T* w, std::int64_t n_out, const T* bias,
                       bool binary, T* y) {
#if NIRB_SIMD_DISPATCH
    switch (simd_level()) {
    case SimdLevel::Avx512:
        return accumulate_avx512(e, w, n_out, bias, binary, y);
    case SimdLevel::Avx2:
        return accumulate_avx2(e, w, n_out, bias, binary, y);
    case SimdLevel::Default:
        break;
    }
    accumulate_at<T, 16>(e, w, n_out, bias, binary, y);
#else
    accumulate_at<T, simd_bytes(kBuildSimdLevel)>(e, w, n_out, bias, binary, y);
#endif
}

template <typename T>
class DenseKernel final : public Kernel<T> {
public:
    using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
    using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

    DenseKernel(const Node& node, const BuildContext& ctx) : m_q(ctx.quant.state) {
        const Tensor& w = node.require_tensor("weight");
        if (w.rank() < 2)
            throw Error(fmt::format("node '{}' ({}): weight must be at least 2-D, has shape {}",
                                    ctx.node_name, node.type(), shape_to_string(w.shape())));
        const auto rows = w.shape()[w.rank() - 2];
        const auto cols = w.shape()[w.rank() - 1];
        if (w.size() != rows * cols)
            throw Error(fmt::format("node '{}' ({}): stacked weights {} are not supported by the "
                                    "simulator",
                                    ctx.node_name, node.type(), shape_to_string(w.shape())));
        this->in_size = cols;
        this->out_size = rows;
        const auto values = to_compute<T>(w.to_doubles(), ctx.quant.weight);
        m_w.resize(rows, cols);
        for (std::int64_t o = 0; o < rows; ++o)
            for (std::int64_t i = 0; i < cols; ++i)
                m_w(o, i) = values[o * cols + i];
        if (ctx.schema->field("bias")) { // Affine
            const auto b = to_compute<T>(field_values(node, "bias", rows, ctx), ctx.quant.weight);
            m_bias = Eigen::Map<const Vector>(b.data(), rows);
            m_has_bias = true;
        } else {
            m_bias = Vector::Zero(rows); // 0 + w is w: the same sums as starting from zero
        }
    }

    double dense_ops_per_sample() const override {
        return static_cast<double>(this->in_size) * static_cast<double>(this->out_size);
    }

    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        const auto n_out = this->out_size;
        const EventList& events = list_events(in, ctx.batch);
        if (ctx.nonzero_inputs)
            *ctx.nonzero_inputs = events.start.back();
        const auto nnz = static_cast<double>(events.start.back());
        const double sparse = m_q.enabled() ? kSparseFractionExact : kSparseFraction;
        if (nnz <= sparse * static_cast<double>(this->in_size * ctx.batch)) {
            const Events<T> e{events.index.data(), events.value.data(), events.start.data(),
                              ctx.batch};
            accumulate_events(e, m_w.data(), n_out, m_bias.data(), events.binary, out);
        } else {
            Eigen::Map<const Matrix> x(in, this->in_size, ctx.batch);
            Eigen::Map<Matrix> y(out, n_out, ctx.batch);
            y.noalias() = m_w * x;
            if (m_has_bias)
                y.colwise() += m_bias;
        }
        quantize_block(m_q, out, static_cast<std::size_t>(n_out * ctx.batch));
    }

private:
    /// The nonzero inputs of a lane, per sample in increasing order (Events).
    struct EventList {
        std::vector<std::int32_t> index;
        std::vector<T> value;
        std::vector<std::int64_t> start;
        bool binary = true; ///< every listed value is 1
    };

    /// One pass over the inputs. The lists are per thread, grown once, then reused every step.
    const EventList& list_events(const T* in, int batch) const {
        thread_local EventList list;
        const auto total = static_cast<std::size_t>(this->in_size * batch);
        if (list.index.size() < total) {
            list.index.resize(total);
            list.value.resize(total);
        }
        list.start.resize(static_cast<std::size_t>(batch) + 1);
        std::int32_t* index = list.index.data();
        T* value = list.value.data();
        std::int64_t p = 0, ones = 0;
        for (int b = 0; b < batch; ++b) {
            list.start[b] = p;
            const T* x = in + b * this->in_size;
            for (std::int64_t i = 0; i < this->in_size; ++i)
                if (x[i] != T(0)) {
                    index[p] = static_cast<std::int32_t>(i);
                    value[p++] = x[i];
                    ones += x[i] == T(1);
                }
        }
        list.start[batch] = p;
        list.binary = ones == p;
        return list;
    }

    Matrix m_w;
    Vector m_bias;
    bool m_has_bias = false;
    Quantizer m_q;
};

/// A square weight with every off-diagonal entry zero and no bias (the membrane and reset
/// loops that exact conversions of late resets write as Linear nodes): y_i = w_ii x_i, an
/// elementwise product instead of a matrix product. The values are the general kernel's: every
/// other term it adds is 0 times a finite input, a signed zero that leaves the sum unchanged,
/// and the only nonzero term is added to zero, so a fused multiply-add rounds it the same way.
/// (An infinite or NaN input would make the general kernel's whole row NaN; here it stays in
/// its own neuron.)
template <typename T>
class DiagonalKernel final : public Kernel<T> {
public:
    DiagonalKernel(std::vector<T> diagonal, Quantizer q) : m_diagonal(std::move(diagonal)), m_q(q) {
        this->in_size = this->out_size = static_cast<std::int64_t>(m_diagonal.size());
    }

    /// Fan-out 1: one multiply per input, which the event counter reports as such.
    double dense_ops_per_sample() const override { return static_cast<double>(this->in_size); }

    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        const auto n = this->in_size;
        const T* w = m_diagonal.data();
        std::int64_t nonzero = 0;
        for (int b = 0; b < ctx.batch; ++b) {
            const T* x = in + b * n;
            T* y = out + b * n;
            for (std::int64_t i = 0; i < n; ++i) {
                y[i] = w[i] * x[i];
                nonzero += x[i] != T(0);
            }
        }
        if (ctx.nonzero_inputs)
            *ctx.nonzero_inputs = nonzero;
        quantize_block(m_q, out, static_cast<std::size_t>(n * ctx.batch));
    }

private:
    std::vector<T> m_diagonal;
    Quantizer m_q;
};

/// The diagonal of `node`'s weight when the node is a DiagonalKernel (square 2-D weight, every
/// off-diagonal entry zero, no bias or an all-zero one); empty otherwise.
std::vector<double> diagonal_of(const Node& node, const BuildContext& ctx) {
    const Tensor& w = node.require_tensor("weight");
    if (w.rank() != 2 || w.shape()[0] != w.shape()[1] || w.shape()[0] < 2)
        return {};
    const auto n = w.shape()[0];
    if (ctx.schema->field("bias")) {
        for (double b : field_values(node, "bias", n, ctx))
            if (b != 0.0)
                return {};
    }
    const auto values = w.to_doubles();
    std::vector<double> diagonal(static_cast<std::size_t>(n));
    for (std::int64_t o = 0; o < n; ++o)
        for (std::int64_t i = 0; i < n; ++i) {
            const double v = values[static_cast<std::size_t>(o * n + i)];
            if (o == i)
                diagonal[static_cast<std::size_t>(o)] = v;
            else if (v != 0.0)
                return {};
        }
    return diagonal;
}

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> make_dense_kernel(const Node& node, const BuildContext& ctx) {
    if (const auto diagonal = diagonal_of(node, ctx); !diagonal.empty())
        return std::make_unique<DiagonalKernel<T>>(to_compute<T>(diagonal, ctx.quant.weight),
                                                   ctx.quant.state);
    return std::make_unique<DenseKernel<T>>(node, ctx);
}

template std::unique_ptr<Kernel<float>> make_dense_kernel<float>(const Node&, const BuildContext&);
template std::unique_ptr<Kernel<double>> make_dense_kernel<double>(const Node&,
                                                                   const BuildContext&);

} // namespace nirb::sim::detail
