// Scalar safety (src/Sieve/Scalars.cs, src/BannedSymbols.txt). The analyzer runs at build, so these tests check what a
// build cannot: that every banned line still names a member of the TorchSharp in use (a line naming nothing bans
// nothing, silently, after an upgrade), that every implicit conversion into Scalar is banned, and that the helpers
// compute exactly what the operators they replace computed.
using System.Reflection;
using Sieve.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Tests;

public sealed class ScalarsTests
{
    private static readonly string[] _banned = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "src", "BannedSymbols.txt"))
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal))
        .Select(line => line.Split(';')[0].Trim())
        .ToArray();

    [Fact]
    public void BannedSymbols_EveryLineNamesATorchSharpMember()
    {
        var members = TorchSharpMemberIds();
        Assert.NotEmpty(_banned);
        Assert.All(_banned, id => Assert.True(members.Contains(id), $"{id} names no member of {typeof(Scalar).Assembly.GetName()}"));
    }

    [Fact]
    public void BannedSymbols_BanEveryImplicitConversionIntoScalar()
    {
        var conversions = typeof(Scalar).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == "op_Implicit" && m.ReturnType == typeof(Scalar))
            .Select(DocumentationId)
            .ToArray();
        Assert.NotEmpty(conversions);
        Assert.All(conversions, id => Assert.Contains(id, _banned));
    }

    [Fact]
    public void Helpers_MatchTheOperatorsTheyReplace()
    {
        using var a = tensor(new float[] { 1.5f, -2f, 3.25f, 0f });
        using var b = tensor(new float[] { 0.5f, 4f, -1f, 2f });
        using var mask = tensor(new[] { true, false, true, false });
        AssertSame(a + b, a.Plus(b));
        AssertSame(a * 0.1, a.Times(0.1));
        AssertSame(a / 3.0, a.DividedBy(3.0));
        AssertSame(a + 0.7, a.Plus(0.7));
        AssertSame(a.clamp_min(0.25), a.ClampMin(0.25));
        AssertSame(a.clamp(-1.0, 2.0), a.Clamp(-1.0, 2.0));
        AssertSame(a.masked_fill(mask, float.MinValue), a.MaskedFill(mask, float.MinValue));
        AssertSame(a.clone().masked_fill_(mask, -7.5), a.clone().MaskedFillInPlace(mask, -7.5));
        AssertSame(a.clone().add_(b), a.clone().PlusInPlace(b));
        AssertSame(a.clone().fill_(0.3), a.clone().FillInPlace(0.3));
        AssertSame(full(new long[] { 2, 3 }, 0.3, dtype: ScalarType.Float64), Scalars.Full([2, 3], 0.3, ScalarType.Float64));
        AssertSame(arange(5), Scalars.Arange(0, 5));
        AssertSame(arange(2, 6, dtype: ScalarType.Float32), Scalars.Arange(2, 6, ScalarType.Float32));
    }

    private static void AssertSame(Tensor expected, Tensor actual)
    {
        using (expected)
        using (actual)
        {
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(expected.eq(actual).all().item<bool>(), $"expected {expected.ToString(TorchSharp.TensorStringStyle.Julia)}, got {actual.ToString(TorchSharp.TensorStringStyle.Julia)}");
        }
    }

    // Documentation comment IDs (the format BannedSymbols.txt uses) of every public method of TorchSharp.
    private static HashSet<string> TorchSharpMemberIds()
    {
        Type[] types;
        try { types = typeof(Scalar).Assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = [.. e.Types.OfType<Type>()]; }
        return types
            .Where(t => t.IsPublic || t.IsNestedPublic)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(DocumentationId)
            .ToHashSet();
    }

    private static string DocumentationId(MethodInfo method)
    {
        var parameters = method.GetParameters();
        var id = $"M:{TypeId(method.DeclaringType!)}.{method.Name}";
        if (parameters.Length > 0) id += $"({string.Join(",", parameters.Select(p => TypeId(p.ParameterType)))})";
        if (method.Name is "op_Implicit" or "op_Explicit") id += $"~{TypeId(method.ReturnType)}";
        return id;
    }

    private static string TypeId(Type type)
    {
        if (type.IsByRef) return TypeId(type.GetElementType()!) + "@";
        if (type.IsArray) return TypeId(type.GetElementType()!) + "[]";
        if (type.IsGenericParameter) return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        if (!type.IsGenericType) return (type.FullName ?? type.Name).Replace('+', '.');
        var definition = type.GetGenericTypeDefinition().FullName!;
        var name = definition[..definition.IndexOf('`')].Replace('+', '.');
        return $"{name}{{{string.Join(",", type.GetGenericArguments().Select(TypeId))}}}";
    }
}
