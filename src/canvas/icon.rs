//! Device icons, drawn in SVG around (0, 0), about 56 × 44 units. Colours come
//! from CSS classes so themes can restyle them.

use lanlab_sim::DeviceKind;
use leptos::prelude::*;

/// The icon of a device kind.
pub fn device_icon(kind: DeviceKind) -> AnyView {
    match kind {
        DeviceKind::Pc => view! {
            <g class="icon icon-pc">
                <rect class="body" x="-24" y="-22" width="48" height="32" rx="3"/>
                <rect class="screen" x="-20" y="-18" width="40" height="24" rx="1"/>
                <rect class="body" x="-4" y="10" width="8" height="6"/>
                <rect class="body" x="-14" y="16" width="28" height="4" rx="2"/>
            </g>
        }
        .into_any(),
        DeviceKind::Laptop => view! {
            <g class="icon icon-laptop">
                <rect class="body" x="-20" y="-20" width="40" height="28" rx="3"/>
                <rect class="screen" x="-16" y="-16" width="32" height="20" rx="1"/>
                <path class="body" d="M-27 10 H27 L23 18 H-23 Z"/>
            </g>
        }
        .into_any(),
        DeviceKind::Server => view! {
            <g class="icon icon-server">
                <rect class="body" x="-16" y="-24" width="32" height="46" rx="3"/>
                <rect class="slot" x="-11" y="-18" width="22" height="6" rx="1"/>
                <rect class="slot" x="-11" y="-8" width="22" height="6" rx="1"/>
                <rect class="slot" x="-11" y="2" width="22" height="6" rx="1"/>
                <circle class="led" cx="7" cy="15" r="2"/>
            </g>
        }
        .into_any(),
        DeviceKind::Switch => view! {
            <g class="icon icon-switch">
                <rect class="body" x="-28" y="-12" width="56" height="24" rx="4"/>
                <path class="arrow" d="M-18 -4 H14 M8 -8 L14 -4 L8 0 M18 4 H-14 M-8 0 L-14 4 L-8 8"/>
            </g>
        }
        .into_any(),
        DeviceKind::MultilayerSwitch => view! {
            <g class="icon icon-switch icon-mls">
                <rect class="body" x="-26" y="-20" width="52" height="40" rx="4"/>
                <path class="arrow" d="M-16 -8 H12 M7 -12 L12 -8 L7 -4 M16 0 H-12 M-7 -4 L-12 0 L-7 4"/>
                <path class="arrow" d="M-10 14 V6 M-13 9 L-10 6 L-7 9 M10 6 V14 M7 11 L10 14 L13 11"/>
            </g>
        }
        .into_any(),
        DeviceKind::Router => view! {
            <g class="icon icon-router">
                <ellipse class="body" cx="0" cy="8" rx="26" ry="10"/>
                <rect class="body side" x="-26" y="-6" width="52" height="14"/>
                <ellipse class="top" cx="0" cy="-6" rx="26" ry="10"/>
                <path class="arrow" d="M-14 -10 L-6 -6 M6 -2 L14 -6 M-14 -2 L-6 -6 M14 -10 L6 -6"/>
            </g>
        }
        .into_any(),
    }
}
