// SVG and PNG through the Graphviz library: the DOT source is parsed by libcgraph, laid out
// by the `dot` engine and rendered by libgvc's plugins; Graphviz's own error messages are
// collected and put into the nirb::Error.
#include "draw_model.hpp"

#include "nirb/atomic_output.hpp"
#include "nirb/error.hpp"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>

namespace nirb {
namespace {

/// Layouts of bigger graphs take minutes and give unreadable pictures.
constexpr std::size_t kMaxLayoutNodes = 3000;

std::string g_graphviz_errors; // guarded by g_graphviz_mutex
std::mutex g_graphviz_mutex;   // Graphviz keeps global state: one layout at a time

int collect_error(char* message) {
    g_graphviz_errors += message;
    return 0;
}

/// The length parameter of gvRenderData is unsigned int in Graphviz 2.x and size_t later.
template <class Length>
std::string render_data(GVC_t* gvc, Agraph_t* g, const char* format,
                        int (*render)(GVC_t*, Agraph_t*, const char*, char**, Length*)) {
    char* data = nullptr;
    Length length = 0;
    if (render(gvc, g, format, &data, &length) != 0 || data == nullptr)
        throw Error(fmt::format("Graphviz cannot render '{}' here{}", format,
                                g_graphviz_errors.empty() ? "" : ": " + g_graphviz_errors));
    std::string out(data, length);
    gvFreeRenderData(data);
    return out;
}

/// One Graphviz context for the process, never freed: Graphviz 2.42's pango text-layout
/// plugin keeps a static pointer to a font name owned by the context that first measured text,
/// so freeing that context and laying out again reads freed memory (AddressSanitizer caught it
/// on the second drawing). Called with g_graphviz_mutex held.
GVC_t* shared_context() {
    static GVC_t* const context = gvContext();
    return context;
}

std::string layout_and_render(const std::string& dot, const char* format, const char* dpi) {
    std::lock_guard<std::mutex> lock(g_graphviz_mutex);
    g_graphviz_errors.clear();
    agseterrf(collect_error);
    std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> g(agmemread(dot.c_str()), agclose);
    GVC_t* const context = shared_context();
    if (!context || !g)
        throw Error("Graphviz could not read the generated DOT: " + g_graphviz_errors);
    if (dpi)
        agsafeset(g.get(), const_cast<char*>("dpi"), const_cast<char*>(dpi), const_cast<char*>(""));
    if (gvLayout(context, g.get(), "dot") != 0)
        throw Error("Graphviz layout failed: " + g_graphviz_errors);
    std::string out;
    try {
        out = render_data(context, g.get(), format, gvRenderData);
    } catch (...) {
        gvFreeLayout(context, g.get());
        throw;
    }
    gvFreeLayout(context, g.get());
    return out;
}

std::size_t count_leaves(const Graph& g) {
    std::size_t n = 0;
    for (const auto& nn : g.nodes())
        n += nn.node.is_graph() ? count_leaves(nn.node.graph()) : 1;
    return n;
}

} // namespace

DrawFormat draw_format_from_path(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".svg")
        return DrawFormat::Svg;
    if (ext == ".png")
        return DrawFormat::Png;
    if (ext == ".dot" || ext == ".gv")
        return DrawFormat::Dot;
    if (ext == ".mmd" || ext == ".mermaid")
        return DrawFormat::Mermaid;
    throw UsageError(fmt::format("{}: cannot tell the drawing format from the extension "
                                 "(use .svg, .png, .dot or .mmd)",
                                 path));
}

std::string draw_graph(const Graph& g, DrawFormat format, const DrawOptions& options) {
    if (format == DrawFormat::Mermaid)
        return graph_to_mermaid(g, options);
    const std::string dot = graph_to_dot(g, options);
    if (format == DrawFormat::Dot)
        return dot;
    if (const std::size_t nodes = count_leaves(g); nodes > kMaxLayoutNodes)
        throw Error(fmt::format("the graph has {} nodes, too many to lay out readably (limit "
                                "{}); write .dot or .mmd instead",
                                nodes, kMaxLayoutNodes));
    // PNG at 1.5x Graphviz's 96 dpi: labels stay sharp on high-density screens and in docs.
    return format == DrawFormat::Svg ? layout_and_render(dot, "svg", nullptr)
                                     : layout_and_render(dot, "png", "144");
}

void write_drawing(const Graph& g, const std::string& path, const DrawOptions& options,
                   bool overwrite) {
    const std::string data = draw_graph(g, draw_format_from_path(path), options);
    AtomicOutput out(path, overwrite);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        file.write(data.data(), static_cast<std::streamsize>(data.size()));
        if (!file.flush())
            throw Error(fmt::format("{}: cannot write the drawing", path));
    }
    out.commit();
}

} // namespace nirb
