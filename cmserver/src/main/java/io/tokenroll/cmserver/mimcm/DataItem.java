package io.tokenroll.cmserver.mimcm;

/** A data-collection item a workflow policy asks the enrollee for. */
public record DataItem(String name, String description, boolean required) {
}
