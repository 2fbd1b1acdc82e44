package dev.slice.billing;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** An invoice as a PDF document (OpenPDF), made once when the invoice is issued and kept with it. */
final class InvoicePdf {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;

    private InvoicePdf() {}

    static byte[] render(Invoice invoice) {
        Font title = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 18);
        Font bold = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10);
        Font plain = FontFactory.getFont(FontFactory.HELVETICA, 10);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 50, 50, 50, 50);
        try {
            PdfWriter.getInstance(document, out);
            document.addTitle("Invoice " + invoice.numberText());
            document.addCreator("Slice");
            document.open();
            document.add(new Paragraph("Invoice " + invoice.numberText(), title));
            document.add(new Paragraph(" "));
            document.add(party("From", invoice.issuer(), bold, plain));
            document.add(party("Bill to", invoice.customer(), bold, plain));
            document.add(new Paragraph("Issued: " + DAY.format(invoice.issuedAt().atZone(ZoneOffset.UTC)), plain));
            document.add(new Paragraph("Period: " + DAY.format(invoice.periodStart()) + " to "
                    + DAY.format(invoice.periodEnd().minusDays(1)), plain));
            document.add(new Paragraph(" "));

            PdfPTable table = new PdfPTable(new float[] {4, 1});
            table.setWidthPercentage(100);
            table.addCell(cell("Description", bold, Element.ALIGN_LEFT));
            table.addCell(cell("Amount", bold, Element.ALIGN_RIGHT));
            for (Invoice.Line line : invoice.lines()) {
                table.addCell(cell(line.description(), plain, Element.ALIGN_LEFT));
                table.addCell(cell(line.amount().toString(), plain, Element.ALIGN_RIGHT));
            }
            table.addCell(cell("Net", plain, Element.ALIGN_LEFT));
            table.addCell(cell(invoice.net().toString(), plain, Element.ALIGN_RIGHT));
            table.addCell(cell("Tax " + percent(invoice.taxRateBp()) + " (included)", plain, Element.ALIGN_LEFT));
            table.addCell(cell(invoice.tax().toString(), plain, Element.ALIGN_RIGHT));
            table.addCell(cell("Total", bold, Element.ALIGN_LEFT));
            table.addCell(cell(invoice.total().toString(), bold, Element.ALIGN_RIGHT));
            document.add(table);
            document.add(new Paragraph(" "));
            document.add(new Paragraph("Prices include tax. Amounts were charged to your prepaid balance or are due as shown in "
                    + "your account's ledger.", plain));
        } catch (DocumentException e) {
            throw new IllegalStateException("invoice " + invoice.numberText() + " could not be laid out: " + e.getMessage(), e);
        } finally {
            document.close();
        }
        return out.toByteArray();
    }

    static String percent(int basisPoints) {
        return java.math.BigDecimal.valueOf(basisPoints, 2).toPlainString() + "%";
    }

    static Paragraph party(String heading, Invoice.Party party, Font bold, Font plain) {
        Paragraph paragraph = new Paragraph();
        paragraph.add(new Phrase(heading + ": ", bold));
        paragraph.add(new Phrase(party.name(), plain));
        for (String line : party.address().split("\n")) {
            if (!line.isBlank()) paragraph.add(new Phrase("\n" + line.strip(), plain));
        }
        if (!party.taxId().isBlank()) paragraph.add(new Phrase("\nTax id: " + party.taxId(), plain));
        paragraph.setSpacingAfter(8);
        return paragraph;
    }

    static PdfPCell cell(String text, Font font, int align) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        cell.setHorizontalAlignment(align);
        cell.setPadding(4);
        return cell;
    }
}
