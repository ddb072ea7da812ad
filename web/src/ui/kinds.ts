// How each kind of entity looks and is named: colours from the Okabe-Ito palette (told apart with
// colour-blindness too), names for the legend and the folds.
import type { EntityKind } from "../graph/view";

export const kindColors: Record<EntityKind, string> = {
  COUNTRY: "#000000",
  PROVINCE: "#0072b2",
  CITY: "#56b4e9",
  DISTRICT: "#009e73",
  REGION: "#8fbc3f",
  ORGANIZATION: "#cc79a7",
  COMPANY: "#d55e00",
  BRAND: "#e69f00",
  POLICY: "#6a3d9a",
};

export const foldColor = "#9aa3ad";

export const kindNames: Record<EntityKind, { en: string; zh: string }> = {
  COUNTRY: { en: "Country", zh: "国家" },
  PROVINCE: { en: "Province", zh: "省级" },
  CITY: { en: "City", zh: "城市" },
  DISTRICT: { en: "District or county", zh: "区县" },
  REGION: { en: "Region", zh: "区域" },
  ORGANIZATION: { en: "Organization", zh: "机构" },
  COMPANY: { en: "Company", zh: "企业" },
  BRAND: { en: "Brand", zh: "品牌" },
  POLICY: { en: "Policy", zh: "政策" },
};
