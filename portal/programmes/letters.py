"""The printable letter of an approved paper application: the credit, the code, a QR code.

One A4 page in the resident's language (Italian unless the officer chose another): who it is
for, the programme and the municipality, the amount and until when it can be spent, the code
in groups of four and as a QR code (the code's text, which a counter's scanner types into the
code field), and the cooperatives where it can be spent. Drawn with fpdf2's core fonts in
Windows-1252, which holds the euro sign and the Italian and German letters.
"""

import io

import segno
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from oscar.core.loading import get_model

from .models import Application

MARGIN = 20
QR_SIZE = 45  # mm: readable by a phone or a handheld scanner from a printed page


def cooperatives_for(application: Application) -> list:
    """Where the credit can be spent: the programme's cooperatives, or all of its portal's."""
    programme = application.programme
    chosen = list(programme.cooperatives.order_by("name"))
    if chosen:
        return chosen
    Partner = get_model("partner", "Partner")
    return list(Partner.objects.filter(territories=programme.territory).order_by("name"))


def _qr_png(code: str) -> io.BytesIO:
    image = io.BytesIO()
    segno.make(code, error="m").save(image, kind="png", scale=10, border=2)
    image.seek(0)
    return image


def _money(amount) -> str:
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def letter_pdf(application: Application, code: str) -> bytes:
    """The letter of ``application`` carrying ``code`` (as issued), as PDF bytes."""
    programme = application.programme
    resident = application.applicant
    paper = getattr(resident, "paper_resident", None)
    language = (paper.language if paper else application.language) or "it"
    with translation.override(language):
        pdf = FPDF(format="A4")
        pdf.core_fonts_encoding = "windows-1252"
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN)
        pdf.set_title(_("Letter of credit %(protocol)s") % {"protocol": application.protocol})
        pdf.set_lang(language)
        pdf.add_page()
        width = pdf.w - 2 * MARGIN

        pdf.set_font("Helvetica", "B", 16)
        pdf.multi_cell(width, 8, programme.territory.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 12)
        pdf.multi_cell(width, 6, programme.title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)

        pdf.set_font("Helvetica", "", 11)
        address = [resident.get_full_name()]
        if paper is not None:
            address.append(paper.address)
        address.append(application.municipality)
        lines = "\n".join(a for a in address if a)
        pdf.multi_cell(width, 5.5, lines, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.multi_cell(
            width,
            5.5,
            _(
                "Your application %(protocol)s to the programme \u201c%(programme)s\u201d has "
                "been approved. You have a credit of %(amount)s to spend on the services of the "
                "cooperatives listed below."
            )
            % {
                "protocol": application.protocol,
                "programme": programme.title,
                "amount": _money(application.amount),
            },
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(4)

        facts = [
            (_("Municipality"), application.municipality),
            (_("Programme"), programme.title),
            (_("Credit"), _money(application.amount)),
        ]
        if programme.credit_expires_on:
            facts.append(
                (
                    _("To be spent by"),
                    formats.date_format(programme.credit_expires_on, "DATE_FORMAT"),
                )
            )
        for label, value in facts:
            pdf.set_font("Helvetica", "B", 11)
            pdf.cell(45, 6.5, f"{label}:")
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(width - 45, 6.5, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)

        top = pdf.get_y()
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width - QR_SIZE - 5, 6, _("Your code"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Courier", "B", 18)
        pdf.multi_cell(width - QR_SIZE - 5, 10, code, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(
            width - QR_SIZE - 5,
            5,
            _(
                "Show this letter at the cooperative's counter: the staff read the code or the "
                "QR code, tell you the credit left and record the service. Keep the letter safe: "
                "whoever has the code can spend the credit."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.image(_qr_png(code), x=pdf.w - MARGIN - QR_SIZE, y=top, w=QR_SIZE, h=QR_SIZE)
        pdf.set_y(max(pdf.get_y(), top + QR_SIZE) + 8)

        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width, 6, _("Where you can spend it"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10.5)
        for partner in cooperatives_for(application):
            place = f" \u2013 {partner.city}" if getattr(partner, "city", "") else ""
            line = f"\u2022 {partner.name}{place}"
            pdf.multi_cell(width, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(
            width,
            4.5,
            _("Printed on %(date)s. A letter printed again replaces this one and its code.")
            % {"date": formats.date_format(timezone.localdate(), "DATE_FORMAT")},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return bytes(pdf.output())
