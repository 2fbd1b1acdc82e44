package dev.slice.billing;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A credit note as a PDF document, laid out like {@link InvoicePdf}; made once when it is issued and kept with it. */
final class CreditNotePdf {
    private CreditNotePdf() {}

    static byte[] render(CreditNote note, Invoice invoice) {
        Font title = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 18);
        Font bold = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10);
        Font plain = FontFactory.getFont(FontFactory.HELVETICA, 10);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 50, 50, 50, 50);
        try {
            PdfWriter.getInstance(document, out);
            document.addTitle("Credit note " + note.numberText());
            document.addCreator("Slice");
            document.open();
            document.add(new Paragraph("Credit note " + note.numberText(), title));
            document.add(new Paragraph(" "));
            document.add(InvoicePdf.party("From", invoice.issuer(), bold, plain));
            document.add(InvoicePdf.party("To", invoice.customer(), bold, plain));
            document.add(new Paragraph("Issued: " + DateTimeFormatter.ISO_LOCAL_DATE.format(note.issuedAt().atZone(ZoneOffset.UTC)), plain));
            document.add(new Paragraph("For invoice " + invoice.numberText() + " of " + invoice.total(), plain));
            document.add(new Paragraph(" "));

            PdfPTable table = new PdfPTable(new float[] {4, 1});
            table.setWidthPercentage(100);
            table.addCell(InvoicePdf.cell("Description", bold, Element.ALIGN_LEFT));
            table.addCell(InvoicePdf.cell("Amount", bold, Element.ALIGN_RIGHT));
            table.addCell(InvoicePdf.cell("Refund: " + note.reason(), plain, Element.ALIGN_LEFT));
            table.addCell(InvoicePdf.cell(note.amount().negate().toString(), plain, Element.ALIGN_RIGHT));
            table.addCell(InvoicePdf.cell("Tax " + InvoicePdf.percent(note.taxRateBp()) + " (included)", plain, Element.ALIGN_LEFT));
            table.addCell(InvoicePdf.cell(note.tax().negate().toString(), plain, Element.ALIGN_RIGHT));
            table.addCell(InvoicePdf.cell("Total credited", bold, Element.ALIGN_LEFT));
            table.addCell(InvoicePdf.cell(note.amount().negate().toString(), bold, Element.ALIGN_RIGHT));
            document.add(table);
            document.add(new Paragraph(" "));
            document.add(new Paragraph("The amount is credited to your account's balance.", plain));
        } catch (DocumentException e) {
            throw new IllegalStateException("credit note " + note.numberText() + " could not be laid out: " + e.getMessage(), e);
        } finally {
            document.close();
        }
        return out.toByteArray();
    }
}
