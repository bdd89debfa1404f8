use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An administrative unit of the 2025 two-tier list (plus `VN` for the whole country).
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUnit {
    /// Statistical code: 2 digits for a province, 5 for a commune; `VN` for the country.
    #[schema(example = "00070")]
    pub code: String,
    #[schema(example = "Phường Hoàn Kiếm")]
    pub name: String,
    /// Vietnamese division type: `tỉnh`, `thành phố trung ương`, `xã`, `phường`, `đặc khu`.
    pub division_type: String,
    /// `national`, `province` or `commune`.
    pub level: String,
    /// The enclosing unit (`VN` for provinces).
    pub parent_code: Option<String>,
}

impl From<crate::db::admin_units::AdminUnit> for AdminUnit {
    fn from(u: crate::db::admin_units::AdminUnit) -> Self {
        AdminUnit {
            code: u.code,
            name: u.name,
            division_type: u.division_type,
            level: u.level,
            parent_code: u.parent_code,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AdminUnitQuery {
    /// Children of this unit (`VN` lists the provinces).
    pub parent: Option<String>,
    /// Accent-insensitive name search: `ngoc lien` finds "Xã Ngọc Liên".
    pub q: Option<String>,
    /// `province` or `commune` (`national`: the country itself).
    #[param(schema_with = crate::dto::query_words::unit_level)]
    pub level: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}
