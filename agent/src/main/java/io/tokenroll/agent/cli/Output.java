package io.tokenroll.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Results on stdout: JSON for machines, aligned tables for people. Diagnostics never go here. */
public final class Output {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Output() {
  }

  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** A plain text table: a header row and left-aligned columns separated by two spaces. */
  public static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
      rows.add(header);
    }

    public Table row(Object... cells) {
      String[] r = new String[cells.length];
      for (int i = 0; i < cells.length; i++) {
        r[i] = cells[i] == null ? "-" : SafeText.field(cells[i].toString()); // one line, aligned
      }
      rows.add(r);
      return this;
    }

    public boolean isEmpty() {
      return rows.size() == 1;
    }

    public void print(PrintWriter out) {
      int columns = rows.get(0).length;
      int[] width = new int[columns];
      for (String[] r : rows) {
        for (int i = 0; i < columns; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns; i++) {
          sb.append(i == columns - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
        }
        out.println(sb.toString().stripTrailing());
      }
      out.flush();
    }
  }
}
