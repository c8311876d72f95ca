# Test cases for ssrf_renderer.yaml (annotations as in semgrep --test).
import cairosvg
from weasyprint import HTML
from xhtml2pdf import pisa


def render_invoice(html_text, out):
    # ruleid: python.ssrf.document-renderer-fetches-resources
    HTML(string=html_text).write_pdf(out)


def render_invoice_fixed(html_text, out, fetcher):
    # ok: python.ssrf.document-renderer-fetches-resources
    HTML(string=html_text, url_fetcher=fetcher).write_pdf(out)


def render_constant(out):
    # ok: python.ssrf.document-renderer-fetches-resources
    HTML(string="<p>Hello</p>").write_pdf(out)


def avatar_png(svg_bytes):
    # ruleid: python.ssrf.document-renderer-fetches-resources
    return cairosvg.svg2png(bytestring=svg_bytes, unsafe=True)


def avatar_png_default(svg_bytes):
    # ok: python.ssrf.document-renderer-fetches-resources
    return cairosvg.svg2png(bytestring=svg_bytes)


def report_pdf(html_text, out):
    # ruleid: python.ssrf.document-renderer-fetches-resources
    return pisa.CreatePDF(html_text, dest=out)


def report_pdf_fixed(html_text, out, resolve):
    # ok: python.ssrf.document-renderer-fetches-resources
    return pisa.CreatePDF(html_text, dest=out, link_callback=resolve)
