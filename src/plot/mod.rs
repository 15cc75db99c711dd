//! Charts drawn with plotters from result types only (DESIGN.md section 6: `plot` reads
//! results, never the engine). Every chart is drawn twice, as SVG text and as PNG bytes, with
//! the DejaVu Sans font embedded in the binary, so no system font library is needed.

mod charts;
mod compare;
mod decide;
mod schedule;
mod timeline;

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use charts::charts_for_run;
pub use compare::charts_for_comparison;
pub use decide::{StaffChart, SweepChart};
pub use schedule::{GANTT_ROWS, ScheduleChart, ShiftGantt};
pub use timeline::{TIMELINE_AGENTS, Timeline};

/// Width and height of every chart in pixels.
pub const SIZE: (u32, u32) = (960, 540);

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// File name without extension, e.g. `wait_distribution`.
    fn name(&self) -> &str;
    /// Draws the chart on `root`.
    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError>;
}

/// One chart, rendered.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// File name without extension.
    pub name: String,
    /// The chart as an SVG document.
    pub svg: String,
    /// The chart as a PNG image.
    pub png: Vec<u8>,
}

static FONT: Once = Once::new();

/// The font family every chart uses; registered once from the embedded DejaVu Sans.
pub(crate) const FONT_FAMILY: &str = "sans-serif";

fn register_font() {
    FONT.call_once(|| {
        // The bytes are DejaVu Sans as shipped by the `dejavu` crate: valid by construction.
        let _ =
            plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, dejavu::sans::regular());
    });
}

/// Renders `chart` as SVG and PNG.
pub fn render<C: Chart>(chart: &C) -> Result<Rendered, PlotError> {
    register_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(err)?;
    }
    let (w, h) = SIZE;
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(err)?;
    }
    Ok(Rendered {
        name: chart.name().to_string(),
        svg,
        png: encode_png(&rgb, w, h)?,
    })
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
    }
    Ok(out)
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A plotters backend refused a drawing step (its errors are generic over the backend,
    /// so the error is boxed, keeping its source chain).
    #[error("{0}")]
    Draw(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The PNG encoder failed.
    #[error(transparent)]
    Png(#[from] png::EncodingError),
}

/// Maps a plotters drawing error to a [`PlotError`].
pub(crate) fn err<E: std::error::Error + Send + Sync + 'static>(e: E) -> PlotError {
    PlotError::Draw(Box::new(e))
}
