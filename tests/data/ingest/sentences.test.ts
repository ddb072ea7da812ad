// Sentences are what mentions quote: each must be a verbatim slice of the text, whole, and alone.
import { describe, expect, it } from "vitest";
import { splitSentences } from "../../../src/data/ingest/sentences.js";

const texts = (text: string) => splitSentences(text).map((sentence) => sentence.text);

describe("splitSentences", () => {
  it("splits English and Chinese, headlines and paragraphs, and keeps offsets verbatim", () => {
    const text =
      "Headline Without a Period\nSales rose 3.5% in H1. Exports fell!\n\n重庆是西南的重要城市。四川省也在发展汽车产业！Huawei (华为) helps AITO.";
    expect(texts(text)).toEqual([
      "Headline Without a Period",
      "Sales rose 3.5% in H1.",
      "Exports fell!",
      "重庆是西南的重要城市。",
      "四川省也在发展汽车产业！",
      "Huawei (华为) helps AITO.",
    ]);
    for (const sentence of splitSentences(text)) expect(text.slice(sentence.start, sentence.end)).toBe(sentence.text);
  });

  it("does not break after abbreviations, initials or a quotation the sentence goes on after", () => {
    const text =
      "Mr. Wang of Seres Co., Ltd. said the U.S. market is small, e.g. for AITO. Sales hit No. 1 in Jan. 2025. " +
      'J. R. Smith agreed. "Is it?" he asked. It opened at 9 a.m. Monday. He said "Yes." Then left.';
    expect(texts(text)).toEqual([
      "Mr. Wang of Seres Co., Ltd. said the U.S. market is small, e.g. for AITO.",
      "Sales hit No. 1 in Jan. 2025.",
      "J. R. Smith agreed.",
      '"Is it?" he asked.',
      "It opened at 9 a.m. Monday.",
      'He said "Yes."',
      "Then left.",
    ]);
  });

  it("gives nothing for blank text", () => {
    expect(splitSentences(" \n\t ")).toEqual([]);
  });
});
