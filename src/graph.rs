//! The dataflow graph: nodes with roles and layers, edges with mode, schema and
//! idempotency, built once from the resolved design. Later passes only read it.

use crate::model::{Design, Flow, FlowMode};
use petgraph::graph::{DiGraph, NodeIndex};

/// A node of the graph: an index into `Design::nodes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeRef(pub usize);

/// An edge of the graph: an index into `Design::flows`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowRef(pub usize);

pub struct Dataflow {
    pub graph: DiGraph<NodeRef, FlowRef>,
    /// `Design::nodes[i]` is `graph` node `index[i]`.
    pub index: Vec<NodeIndex>,
}

impl Dataflow {
    pub fn build(design: &Design) -> Dataflow {
        let mut graph = DiGraph::with_capacity(design.nodes.len(), design.flows.len());
        let index: Vec<NodeIndex> = (0..design.nodes.len())
            .map(|i| graph.add_node(NodeRef(i)))
            .collect();
        for (i, f) in design.flows.iter().enumerate() {
            if let (Some(a), Some(b)) = (index.get(f.from), index.get(f.to)) {
                graph.add_edge(*a, *b, FlowRef(i));
            }
        }
        Dataflow { graph, index }
    }

    /// The flows leaving a node, in declaration order.
    pub fn outgoing<'d>(&self, design: &'d Design, node: usize) -> Vec<&'d Flow> {
        let mut v: Vec<usize> = match self.index.get(node) {
            Some(ix) => self.graph.edges(*ix).map(|e| e.weight().0).collect(),
            None => Vec::new(),
        };
        v.sort_unstable();
        v.into_iter().filter_map(|i| design.flows.get(i)).collect()
    }

    /// Nodes that no flow reaches and that are not sources.
    pub fn orphans(&self, design: &Design) -> Vec<usize> {
        (0..design.nodes.len())
            .filter(|i| {
                let Some(ix) = self.index.get(*i) else {
                    return false;
                };
                let incoming = self
                    .graph
                    .neighbors_directed(*ix, petgraph::Direction::Incoming)
                    .count();
                let outgoing = self
                    .graph
                    .neighbors_directed(*ix, petgraph::Direction::Outgoing)
                    .count();
                incoming == 0 && outgoing == 0
            })
            .collect()
    }

    /// Whether the design's flows form a cycle (feedback loops are legal but worth knowing).
    pub fn has_cycle(&self) -> bool {
        petgraph::algo::is_cyclic_directed(&self.graph)
    }
}

impl FlowMode {
    /// Batch and CDC edges are drawn dashed in diagrams.
    pub fn is_dashed(&self) -> bool {
        matches!(self, FlowMode::Batch { .. } | FlowMode::Cdc)
    }
}
